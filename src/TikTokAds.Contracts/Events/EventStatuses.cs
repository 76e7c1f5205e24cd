namespace TikTokAds.Contracts.Events;

/// <summary>Where an event stands. Accepted means stored and waiting for TikTok; duplicates leave no record.</summary>
public static class EventStatuses
{
    public const string Accepted = "accepted";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}
