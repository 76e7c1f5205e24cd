using TikTokAds.Contracts.Audiences;

namespace TikTokAds.Grains.Audiences;

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
}
