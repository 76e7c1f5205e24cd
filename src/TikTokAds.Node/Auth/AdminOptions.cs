namespace TikTokAds.Node.Auth;

/// <summary>The operator key (section "Admin"). Without one, the admin API and dashboard refuse every call.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Presented as Authorization: Bearer {key}. At least 16 characters.</summary>
    public string? ApiKey { get; set; }
}
