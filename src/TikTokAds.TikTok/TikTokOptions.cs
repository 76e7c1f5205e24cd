using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace TikTokAds.TikTok;

/// <summary>Where the TikTok Business API is and how hard to try (section "TikTok").</summary>
public sealed class TikTokOptions
{
    public const string SectionName = "TikTok";
    public const string ProductionBaseUrl = "https://business-api.tiktok.com/open_api/v1.3/";

    /// <summary>The API base, ending in /open_api/v1.3/. Production by default; the sandbox is opt-in.</summary>
    [Required]
    [Url]
    public string BaseUrl { get; set; } = ProductionBaseUrl;

    /// <summary>Sent as partner_name on Events API requests.</summary>
    [MaxLength(64)]
    public string? PartnerName { get; set; } = "TikTokAdsOrleans";

    /// <summary>The developer app, for OAuth code exchange and lead subscriptions.</summary>
    public string? AppId { get; set; }

    public string? AppSecret { get; set; }

    /// <summary>Whether a developer app is configured: OAuth and lead subscriptions need one.</summary>
    [MemberNotNullWhen(true, nameof(AppId), nameof(AppSecret))]
    public bool HasApp => !string.IsNullOrEmpty(AppId) && !string.IsNullOrEmpty(AppSecret);

    public const string NoAppMessage = "TikTok:AppId and TikTok:AppSecret are not configured on this node.";

    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:30:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Share of failed attempts (per access token) that opens the circuit. High on purpose: a flaky TikTok
    /// is handled by retries; the breaker is for one that is down.
    /// </summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.8;

    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "00:30:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
