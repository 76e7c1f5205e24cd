namespace TikTokAds.Sandbox.State;

/// <summary>An ad group as adgroup/get describes it; buying_type RESERVATION_RF marks a reach-and-frequency ad group.</summary>
public sealed record SandboxAdGroup(string AdGroupId, string AdvertiserId, string CampaignId, string Name, string OperationStatus, string BuyingType)
{
    public const string Auction = "AUCTION";
    public const string ReachAndFrequency = "RESERVATION_RF";

    public bool IsReachAndFrequency => BuyingType == ReachAndFrequency;
}

/// <summary>An audience applied to an ad group by dmp/custom_audience/apply/: INCLUDE or EXCLUDE.</summary>
public sealed record AppliedAudience(string AudienceId, string UsageMode, DateTimeOffset AppliedAt);
