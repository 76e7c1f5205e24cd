namespace TikTokAds.Grains.Security;

/// <summary>
/// Keys that encrypt TikTok access tokens at rest (section "Security"). Each key is 32 random bytes in
/// base64, under an id. New tokens use <see cref="ActiveTokenKeyId"/>; every listed key still decrypts.
/// </summary>
public sealed class TokenProtectionOptions
{
    public const string SectionName = "Security";

    /// <summary>Key id → base64 of a 256-bit key, e.g. Security__TokenKeys__k2026a=...</summary>
    public Dictionary<string, string> TokenKeys { get; set; } = [];

    public string? ActiveTokenKeyId { get; set; }
}
