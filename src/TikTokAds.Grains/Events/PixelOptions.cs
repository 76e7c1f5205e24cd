using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Grains.Events;

/// <summary>How pixels batch, flush and retry (section "Pixels").</summary>
public sealed class PixelOptions
{
    public const string SectionName = "Pixels";

    /// <summary>How long a lone event may wait for company before a flush (a full batch flushes at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The durable reminder that reactivates a pixel with waiting events after a crash.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// How long a pixel with nothing to send keeps the event ids it accepted in memory, to answer a retry without
    /// the store; after that the store alone answers it (within <see cref="DedupWindow"/> all the same). Its flush
    /// reminder stays registered as long, so traffic that comes and goes does not register and drop it every flush.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ForgetRecentAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The embedded node only (no database): how many settled events (delivered or skipped) its in-memory store keeps
    /// for status lookups and duplicate answers, across all pixels; the oldest settled are forgotten first. Waiting
    /// events and dead letters are never forgotten this way. A retry of a forgotten event is accepted again, and
    /// TikTok drops it by event_id. On PostgreSQL, <see cref="StatusRetention"/> alone decides.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int InMemorySettledEvents { get; set; } = 100_000;

    /// <summary>How long settled events (and their statuses) are kept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan StatusRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long dead letters (events TikTok refused for good) are kept for listing and replay, from when they failed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The sliding window for the requests-per-second budget, counted from each request's answer: a second plus a margin for clocks.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:05")]
    public TimeSpan RequestWindow { get; set; } = RateBudget.DefaultWindow;

    /// <summary>
    /// Requests a pixel keeps in flight to TikTok at once. With one, a pixel sends at most one request per round
    /// trip, well under its 10 requests/s when TikTok takes 100-300 ms to answer. The rate budget bounds them all.
    /// </summary>
    [Range(1, 10)]
    public int RequestsInFlight { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ThrottleBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    public const int DefaultStoreWritesInFlight = 2;

    /// <summary>
    /// On PostgreSQL: the most appends (events and their buyer facts) a node writes at once, and the most settles
    /// (requests TikTok accepted, their events marked delivered). Appends or settles that arrive while a write runs
    /// are written together in the next one, in one transaction (group commit across pixels); a further append starts
    /// beside a running one only once those waiting hold a quarter of a full write (<see cref="AppendCombiner"/>).
    /// More writes at once use more database connections.
    /// </summary>
    [Range(1, 64)]
    public int StoreWritesInFlight { get; set; } = DefaultStoreWritesInFlight;

    /// <summary>
    /// How long a delivery's change to a pixel's state (the day's event count, the last delivery, the duplicates
    /// answered) may wait in memory: it is written at the first flush after it has waited this long, one that a
    /// timer brings if the pixel went quiet. A change of its failure streak, connection or back-off is written at
    /// once, and the state is written when the pixel deactivates. After a crash the day's count is restored from the
    /// deliveries the store recorded; the last delivery time and the duplicates count may lag by up to this interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StateWriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Waiting events held in memory; more stay in PostgreSQL until these drain.</summary>
    [Range(1000, 10_000_000)]
    public int MaxBufferedInMemory { get; set; } = 100_000;
}
