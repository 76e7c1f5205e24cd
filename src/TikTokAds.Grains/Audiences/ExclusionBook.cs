using TikTokAds.Contracts.Audiences;

namespace TikTokAds.Grains.Audiences;

/// <summary>What an accepted apply or disconnect changes in the record of applied ad groups.</summary>
public static class ExclusionBook
{
    public static IReadOnlyList<AppliedAdGroup> Of(ExclusionState state, string audienceId)
        => state.Applied.GetValueOrDefault(audienceId) ?? [];

    /// <summary>The ad groups now carry the audience with this usage mode (an earlier mode on them is replaced).</summary>
    public static ExclusionState Apply(ExclusionState state, string audienceId, IEnumerable<string> adGroupIds, string usageMode, DateTimeOffset now)
    {
        var ids = adGroupIds.ToHashSet(StringComparer.Ordinal);
        return With(state, audienceId, [.. Of(state, audienceId).Where(a => !ids.Contains(a.AdGroupId)), .. ids.Order(StringComparer.Ordinal).Select(id => new AppliedAdGroup(id, usageMode, now))]);
    }

    public static ExclusionState Disconnect(ExclusionState state, string audienceId, IEnumerable<string> adGroupIds)
    {
        var ids = adGroupIds.ToHashSet(StringComparer.Ordinal);
        return With(state, audienceId, [.. Of(state, audienceId).Where(a => !ids.Contains(a.AdGroupId))]);
    }

    private static ExclusionState With(ExclusionState state, string audienceId, IReadOnlyList<AppliedAdGroup> applied)
    {
        var all = new Dictionary<string, IReadOnlyList<AppliedAdGroup>>(state.Applied, StringComparer.Ordinal);
        if (applied.Count == 0)
        {
            all.Remove(audienceId);
        }
        else
        {
            all[audienceId] = [.. applied.OrderBy(a => a.AdGroupId, StringComparer.Ordinal)];
        }
        return state with { Applied = all };
    }
}
