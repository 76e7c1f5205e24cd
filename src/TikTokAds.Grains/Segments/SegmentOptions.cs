using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Grains.Segments;

/// <summary>How segments run and how long buyer facts are kept (section "Segments").</summary>
public sealed class SegmentOptions
{
    public const string SectionName = "Segments";

    /// <summary>How long a buyer fact is kept after its event_time, unless the organizer has an override.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan BuyerDataRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// The embedded node only (no database): how many buyer facts its in-memory store keeps, across organizers; the
    /// oldest recorded are forgotten first, and segments built there count only the buyers still kept.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int InMemoryBuyerFacts { get; set; } = 100_000;

    /// <summary>Per organizer id, a retention other than <see cref="BuyerDataRetention"/> (e.g. Segments:RetentionOverrides:org_acme = 90.00:00:00).</summary>
    public Dictionary<string, TimeSpan> RetentionOverrides { get; set; } = [];

    /// <summary>How often a run looks again at its audience while the audience's own runs are under way.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The durable reminder that resumes a run after a crash.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Finished runs kept per segment.</summary>
    [Range(1, 1000)]
    public int RunHistory { get; set; } = 20;

    /// <summary>The retention of this organizer's buyer facts.</summary>
    public TimeSpan RetentionOf(string organizerId) => RetentionOverrides.GetValueOrDefault(organizerId, BuyerDataRetention);
}
