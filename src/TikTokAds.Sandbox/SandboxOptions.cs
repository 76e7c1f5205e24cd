using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Sandbox;

/// <summary>How the sandbox behaves (section "Sandbox"). Defaults follow TIKTOK_API.md.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>event/track/ requests per second per pixel before 40100 (the seed's 10 requests/s).</summary>
    [Range(1, 100_000)]
    public int RequestsPerSecondPerPixel { get; set; } = 10;

    [Range(1, 100_000)]
    public int MaxEventsPerRequest { get; set; } = 1000;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>The oldest web/app event_time accepted (TikTok's is unconfirmed; 7 days is the common figure).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxWebEventAge { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxOfflineEventAge { get; set; } = TimeSpan.FromDays(28);

    /// <summary>How long a new audience answers 40002 "still processing" to updates (TikTok: about an hour).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AudienceProcessingTime { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 100_000)]
    public int MaxAudiencesPerAdvertiser { get; set; } = 400;

    /// <summary>Users per segment/mapping/ request before 40011 (TikTok's own limit is unconfirmed).</summary>
    [Range(1, 1_000_000)]
    public int MaxMappingUsers { get; set; } = 10_000;

    [Range(1, 1_000_000)]
    public int MinimumLookalikeSource { get; set; } = 100;

    /// <summary>dmp/custom_audience/update/ fails when the result would be smaller (TikTok: 1,000 users).</summary>
    [Range(0, 1_000_000)]
    public int MinimumCustomerFileAudience { get; set; } = 1000;

    /// <summary>The developer app the OAuth endpoints accept.</summary>
    public string AppId { get; set; } = "sandbox-app";

    public string AppSecret { get; set; } = "sandbox-app-secret";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AuthCodeLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Access tokens known from the start, with what each may use.</summary>
    public List<SandboxGrant> Tokens { get; set; } =
    [
        new() { AccessToken = "sandbox-access-token", AdvertiserIds = ["7000000000000000001"], PixelCodes = ["SANDBOXPIXEL0001"] },
    ];

    /// <summary>Faults active from the start; more can be added at /sandbox/faults.</summary>
    public List<FaultRule> Faults { get; set; } = [];

    /// <summary>How many times a failed lead webhook delivery is retried.</summary>
    [Range(0, 20)]
    public int WebhookRetries { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The share of received server events pixel/event/stats/ leaves out of its counts (0 to 1), so a
    /// reconciliation gap can be shown; changed at run time with POST /sandbox/stats-drop.
    /// </summary>
    [Range(0.0, 1.0)]
    public double StatsDropShare { get; set; }
}

public sealed class SandboxGrant
{
    public string AccessToken { get; set; } = "";
    public List<string> AdvertiserIds { get; set; } = [];

    /// <summary>Pixel codes and event set ids this token may send events to.</summary>
    public List<string> PixelCodes { get; set; } = [];
}

/// <summary>
/// A fault for requests whose path contains <see cref="Path"/>: a body code inside HTTP 200, an HTTP
/// status, added latency, or a hang, with probability <see cref="Rate"/>, for the next <see cref="Count"/> matches.
/// </summary>
public sealed class FaultRule
{
    public string? Path { get; set; }

    /// <summary>Only requests made with this access token (so one organizer's calls can fail alone).</summary>
    public string? AccessToken { get; set; }

    public int? Code { get; set; }
    public int? HttpStatus { get; set; }
    public int? LatencyMs { get; set; }
    public bool Timeout { get; set; }
    public double Rate { get; set; } = 1.0;
    public int? Count { get; set; }
}
