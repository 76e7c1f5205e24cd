namespace TikTokAds.Contracts.Audiences;

[GenerateSerializer]
public enum ExclusionOutcome
{
    Ok,
    AudienceNotFound,
    NoAccess,
    ReauthorisationRequired,
    TikTokRefused,
    TikTokUnavailable,
}

/// <summary>An ad group as TikTok lists it; reach-and-frequency ones cannot take lookalike audiences.</summary>
[GenerateSerializer, Immutable]
public sealed record AdGroupView(string AdGroupId, string? Name, string? CampaignId, string? Status, bool ReachAndFrequency);

[GenerateSerializer, Immutable]
public sealed record AdGroupsResult(ExclusionOutcome Outcome, IReadOnlyList<AdGroupView> AdGroups, int Code, string Message);

/// <summary>One ad group the audience is applied to, as TikTok accepted it.</summary>
[GenerateSerializer, Immutable]
public sealed record AppliedAdGroup(string AdGroupId, string UsageMode, DateTimeOffset AppliedAt);

[GenerateSerializer, Immutable]
public sealed record ExclusionResult(ExclusionOutcome Outcome, string? AdvertiserId, string? TikTokAudienceId, IReadOnlyList<AppliedAdGroup> Applied, int Code, string Message);

public static class UsageModes
{
    public const string Include = "INCLUDE";
    public const string Exclude = "EXCLUDE";
}
