namespace TikTokAds.Grains.Leads;

/// <summary>An ad's status when it has no problem; a problem shows as its <see cref="LeadIntegrationStatus"/> code.</summary>
public static class LeadAdStatus
{
    public const string Active = "active";
    public const string Disabled = "disabled";
}
