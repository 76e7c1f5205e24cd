using TikTokAds.Contracts.Audiences;

namespace TikTokAds.Grains.Audiences;

/// <summary>Per audience id, the ad groups TikTok accepted it on (System.Text.Json, camelCase: renaming breaks stored state).</summary>
public sealed record ExclusionState
{
    public IReadOnlyDictionary<string, IReadOnlyList<AppliedAdGroup>> Applied { get; init; } = new Dictionary<string, IReadOnlyList<AppliedAdGroup>>();
}
