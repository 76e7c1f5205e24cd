using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Events;

/// <summary>
/// What a pixel must remember across activations; its events live in pixel_events. A flush that only delivered is
/// kept in memory and written once it has waited there Pixels:StateWriteInterval, and on deactivation, so after a
/// crash the day's count is taken again from the events TikTok confirmed today (pixel_delivered_hours).
/// </summary>
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

    /// <summary>Duplicates answered (they leave no row in pixel_events), as of the last state write.</summary>
    public long Duplicates { get; init; }

    /// <summary>The state after a flush: the budget's count, the failure streak and the latest delivery.</summary>
    public PixelState After(FlushResult flush, RateBudget budget, DateTimeOffset now, long newDuplicates) => this with
    {
        BudgetDay = budget.Day,
        SentToday = budget.SentToday,
        BackoffUntil = budget.BackoffUntil,
        ConsecutiveFailures = flush.ConsecutiveFailures,
        LastFlushAt = now,
        LastError = flush.LastError,
        LastEventSent = flush.LastEventSent,
        Duplicates = Duplicates + newDuplicates,
    };

    /// <summary>Where the last flush left off, for the next one to continue from.</summary>
    public FlushResult LastFlush => new(false, ConsecutiveFailures, LastError, LastEventSent, null);

    public PixelStatusView ToStatus(string pixelId, RateBudget budget, IReadOnlyDictionary<string, long> counts, DateTimeOffset now, string hostedOn) => new(
        pixelId, Connection is not null, (int)counts.GetValueOrDefault(EventStatuses.Accepted), budget.EventsLeftToday(now), budget.EventsPerDay,
        budget.RequestsPerSecond, LastFlushAt, LastError, LastEventSent, budget.BackoffUntil > now ? budget.BackoffUntil : null, counts, hostedOn);
}
