namespace TikTokAds.TikTok.Models;

/// <summary>One ad group of adgroup/get/; buying_type RESERVATION_RF is a reach-and-frequency ad group.</summary>
public sealed record AdGroupInfo
{
    public string? AdgroupId { get; init; }
    public string? AdgroupName { get; init; }
    public string? AdvertiserId { get; init; }
    public string? CampaignId { get; init; }

    /// <summary>ENABLE or DISABLE.</summary>
    public string? OperationStatus { get; init; }

    public string? BuyingType { get; init; }
}

public sealed record AdGroupList(IReadOnlyList<AdGroupInfo>? List, PageInfo? PageInfo);

/// <summary>
/// POST dmp/custom_audience/apply/: one audience on ad groups of the same advertiser. action_mode Apply or
/// Disconnect; usage_mode Include or Exclude, required to apply.
/// </summary>
public sealed record CustomAudienceApplyRequest
{
    public required string AdvertiserId { get; init; }
    public required string CustomAudienceId { get; init; }
    public required IReadOnlyList<string> AdgroupIds { get; init; }
    public required string ActionMode { get; init; }
    public string? UsageMode { get; init; }
}
