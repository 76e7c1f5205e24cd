namespace TikTokAds.Node.Apis.Audiences;

/// <summary>POST (usage_mode defaults to EXCLUDE) and DELETE bodies of /audiences/{id}/exclusions.</summary>
public sealed record ExclusionBody(IReadOnlyList<string?>? AdgroupIds, string? UsageMode);

public sealed record AdGroupResponse(string AdgroupId, string? AdgroupName, string? CampaignId, string? Status, bool ReachAndFrequency);

public sealed record AdGroupsResponse(string AdvertiserId, IReadOnlyList<AdGroupResponse> AdGroups);

public sealed record AppliedAdGroupResponse(string AdgroupId, string UsageMode, DateTimeOffset AppliedAt);

public sealed record ExclusionsResponse(string AudienceId, string? AdvertiserId, string? TiktokAudienceId, IReadOnlyList<AppliedAdGroupResponse> AdGroups, string Message);
