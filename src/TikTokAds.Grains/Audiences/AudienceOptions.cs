using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Grains.Audiences;

/// <summary>How audiences sync (section "Audiences").</summary>
public sealed class AudienceOptions
{
    public const string SectionName = "Audiences";

    /// <summary>Users per segment/mapping/ request.</summary>
    [Range(1, 100_000)]
    public int ChunkSize { get; set; } = 5000;

    /// <summary>
    /// Requests of one run at TikTok at once. Adds and deletes are idempotent and a run's chunks are disjoint,
    /// so they need no order. A REPLACE's removals and different runs stay one request at a time.
    /// </summary>
    [Range(1, 16)]
    public int ChunksInFlight { get; set; } = 2;

    /// <summary>
    /// Chunks sent but not yet settled. Answers settle in the order sent, and the run's stored progress only moves
    /// past a chunk together with its members and every chunk's before it (<see cref="ChunksPerWrite"/>).
    /// </summary>
    [Range(1, 64)]
    public int ChunksAhead { get; set; } = 8;

    /// <summary>
    /// Upload chunks TikTok took whose members, and the run's progress past them, are stored in one transaction:
    /// fewer commits while TikTok takes an upload. A crash re-sends the chunks taken and not stored yet as well as
    /// those not settled: at most <see cref="ChunksAhead"/> + this − 1. A REPLACE's removals are stored one at a time.
    /// </summary>
    [Range(1, 64)]
    public int ChunksPerWrite { get; set; } = 4;

    /// <summary>How long one grain turn keeps sending before it lets other calls to the audience in.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan TurnBudget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most rows one sync request may carry.</summary>
    [Range(1, 10_000_000)]
    public int MaxMembersPerSync { get; set; } = 100_000;

    /// <summary>The UTC hour scheduled syncs run (seed 002: heavy uploads run daily at a fixed hour).</summary>
    [Range(0, 23)]
    public int ScheduledHourUtc { get; set; } = 3;

    /// <summary>
    /// The first wait before a new audience that TikTok still processes is tried again. The wait grows with the
    /// audience's age (a quarter of it) up to <see cref="ReadyPollInterval"/>: an audience TikTok readies in
    /// seconds is used in seconds, one that takes TikTok's usual hour costs about 15 tries.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReadyPollFirst { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between tries while TikTok still processes a new audience (about an hour at TikTok).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "02:00:00")]
    public TimeSpan ReadyPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before the next try of an audience created at <paramref name="createdAt"/> that is still processing.</summary>
    public TimeSpan ReadyPollDelay(DateTimeOffset createdAt, DateTimeOffset now)
    {
        var quarterOfAge = (now - createdAt) / 4;
        var longest = ReadyPollInterval > ReadyPollFirst ? ReadyPollInterval : ReadyPollFirst;
        return quarterOfAge < ReadyPollFirst ? ReadyPollFirst : quarterOfAge > longest ? longest : quarterOfAge;
    }

    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The durable reminder that resumes interrupted runs after a crash.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>TikTok's minimum source size for a lookalike.</summary>
    [Range(1, 1_000_000)]
    public int MinimumLookalikeSource { get; set; } = 100;
}
