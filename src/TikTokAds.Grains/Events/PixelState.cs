using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Events;

/// <summary>What a pixel must remember across activations; its events live in pixel_events.</summary>
public sealed record PixelState
{
    public ConnectionSecret? Connection { get; init; }
    public DateOnly BudgetDay { get; init; }
    public int SentToday { get; init; }
    public DateTimeOffset? BackoffUntil { get; init; }
    public int ConsecutiveFailures { get; init; }
    public DateTimeOffset? LastFlushAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastEventSent { get; init; }
    public bool ReminderActive { get; init; }

    /// <summary>Duplicates answered (they leave no row in pixel_events), as of the last state write.</summary>
    public long Duplicates { get; init; }
}
