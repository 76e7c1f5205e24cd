namespace TikTokAds.Contracts.Assurance;

/// <summary>
/// Reconciliation of one connected pixel (key: "{organizerId}/{pixelId}") with TikTok's own counts: what
/// this service delivered against what pixel/event/stats/ reports, per UTC day and event name. Runs
/// daily on a durable reminder and on demand; results are kept in the grain's state.
/// </summary>
public interface IReconciliationGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the daily run is scheduled (the organizer calls it when a pixel connects).</summary>
    Task ScheduleAsync(CancellationToken cancellationToken = default);

    /// <summary>The kept results for UTC days <paramref name="from"/> to <paramref name="to"/>.</summary>
    Task<ReconciliationReport> GetAsync(DateOnly from, DateOnly to);

    /// <summary>Asks TikTok now for each day of the range (at most 30) and compares; days past retention are left as they were.</summary>
    Task<ReconciliationRun> RunAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>For alerts: the flagged rows among the days the daily run rechecks (none when the gap has cleared).</summary>
    /// <remarks>
    /// Answered even while a run is under way (from the rows before it): a run tells the organizer's alert grain its
    /// result and waits for it, and that grain may at the same moment be asking for this flag.
    /// </remarks>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ReconciliationFlag> GetFlagAsync();
}
