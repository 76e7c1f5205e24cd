using TikTokAds.Contracts.Audiences;

namespace TikTokAds.Grains.Audiences;

/// <summary>An audience as stored (System.Text.Json, camelCase: renaming a property breaks stored state).</summary>
public sealed record AudienceState
{
    public string? AdvertiserId { get; init; }
    public string? Name { get; init; }
    public string? TikTokAudienceId { get; init; }
    public string Status { get; init; } = AudienceStatuses.Processing;
    public IReadOnlyList<string> IdSchema { get; init; } = [];
    public bool Exclusion { get; init; }
    public int? RetentionInDays { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public string? LastError { get; init; }
    public IReadOnlyList<LookalikeView> Lookalikes { get; init; } = [];
    public bool ProcessReminder { get; init; }
    public bool ScheduleReminder { get; init; }

    public bool Exists => TikTokAudienceId is not null;

    public AudienceView ToView(string audienceId, long members, IEnumerable<AudienceOperation> history) => new(
        audienceId, AdvertiserId!, Name!, TikTokAudienceId, Status, IdSchema, Exclusion, RetentionInDays, members, CreatedAt, ReadyAt, LastError,
        [.. history.Select(o => new AudienceRun(o.OpId, o.Action, o.Trigger, o.Status, o.Total, o.Valid, o.Uploaded, o.Removed, o.CreatedAt, o.StartedAt, o.FinishedAt, o.Error))],
        Lookalikes);
}
