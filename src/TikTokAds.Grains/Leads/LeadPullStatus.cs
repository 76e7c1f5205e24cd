namespace TikTokAds.Grains.Leads;

/// <summary>A lead-task export's status.</summary>
public static class LeadPullStatus
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}
