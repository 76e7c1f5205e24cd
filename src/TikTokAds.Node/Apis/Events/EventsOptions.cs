using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Node.Apis.Events;

/// <summary>What the gateway accepts (section "Events").</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Events";

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxWebEventAge { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxOfflineEventAge { get; set; } = TimeSpan.FromDays(28);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Larger event bodies get 413 (1,000 rich events fit comfortably).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;
}
