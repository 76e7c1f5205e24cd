namespace TikTokAds.Grains.Leads;

/// <summary>The integration's status, worst first: the code of its worst problem, or ok.</summary>
public static class LeadIntegrationStatus
{
    public const string Ok = "ok";
    public const string ReauthorisationRequired = "reauthorization_required";
    public const string Misconfigured = "misconfigured";
    public const string IntegrationDeleted = "integration_deleted";
}
