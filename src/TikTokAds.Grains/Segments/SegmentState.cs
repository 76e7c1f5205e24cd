using TikTokAds.Contracts.Segments;

namespace TikTokAds.Grains.Segments;

/// <summary>A segment as stored (System.Text.Json, camelCase: renaming a property breaks stored state).</summary>
public sealed record SegmentState
{
    /// <summary>With AudienceId and AdvertiserId resolved to the bound audience.</summary>
    public SegmentDefinition? Definition { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long LastRunId { get; init; }
    public SegmentRunState? Run { get; init; }

    /// <summary>Asked for while a run was under way (a change, a sync, the daily hour): a run follows it.</summary>
    public string? NextTrigger { get; init; }
    public IReadOnlyList<SegmentRunView> History { get; init; } = [];
    public bool RunReminder { get; init; }
    public bool DailyReminder { get; init; }

    public bool Exists => Definition is not null;
}

/// <summary>
/// The run under way. Planned is stored before the audience is asked for anything, and AudienceRunIds once
/// it has queued the changes: a run resumed without them recomputes the difference, which by then holds only
/// what is still missing.
/// </summary>
public sealed record SegmentRunState(long RunId, string Trigger, DateTimeOffset StartedAt, SegmentRunPlan? Planned, IReadOnlyList<long>? AudienceRunIds)
{
    public SegmentRunView View(string status, DateTimeOffset? finishedAt, string? error) => new(
        RunId, Trigger, status, StartedAt, finishedAt, Planned?.Total ?? 0, Planned?.Valid ?? 0, Planned?.Members ?? 0, Planned?.Added ?? 0, Planned?.Removed ?? 0, error);
}

public sealed record SegmentRunPlan(int Total, int Valid, int Members, int Added, int Removed);
