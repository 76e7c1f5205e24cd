using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Grains.Alerts;

/// <summary>How alerts are evaluated and sent (section "Alerts").</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>How often each organizer's rules are evaluated (a durable reminder; at least Cluster:MinimumReminderPeriod).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first retry of a webhook delivery that was not acknowledged; later ones double up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Undelivered notifications kept per organizer; beyond it the oldest is dropped, with a warning.</summary>
    [Range(10, 100_000)]
    public int MaxPending { get; set; } = 1000;

    /// <summary>Resolved alerts kept for listing.</summary>
    [Range(1, 10_000)]
    public int History { get; set; } = 200;
}
