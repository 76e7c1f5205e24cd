using System.Security.Cryptography;
using System.Text;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Node.Auth;

/// <summary>
/// Organizer API keys: "tta_{keyId}_{secret}", 256 random bits of secret. Only the SHA-256 of the whole
/// key is kept (a fast hash is right for a high-entropy key; nothing to brute-force), plus a short prefix
/// to recognise it by.
/// </summary>
internal static class ApiKeys
{
    public const string Scheme = "tta";

    /// <summary>The longest key <see cref="LooksValid"/> lets through.</summary>
    public const int MaxLength = 99;

    public static (string Key, NewApiKey Record) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = $"{Scheme}_{keyId}_{secret}";
        return (key, new NewApiKey(keyId, Hash(key), $"{Scheme}_{keyId}_{secret[..4]}…"));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Shape check before any lookup: a wrong shape is refused without touching a grain.</summary>
    public static bool LooksValid(ReadOnlySpan<char> key)
        => key.Length is > 20 and <= MaxLength && key.StartsWith(Scheme + "_", StringComparison.Ordinal) && key.Count('_') >= 2;
}
