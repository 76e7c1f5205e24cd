using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Grains.Leads;

/// <summary>Lead intake and forwarding (section "Leads").</summary>
public sealed class LeadOptions
{
    public const string SectionName = "Leads";

    /// <summary>
    /// POST /webhooks/tiktok/leads accepts only deliveries signed with it (X-TikTok-Signature:
    /// t={unix},s={hex HMAC-SHA256 of "{t}.{body}"}). Unset: the webhook refuses every delivery, unless
    /// <see cref="AllowUnsignedWebhooks"/> is set. With --sandbox it is the sandbox app's secret.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Accept unsigned lead webhooks when no <see cref="WebhookSecret"/> is set: anyone who can reach the node
    /// can then store leads and have them forwarded. Logged at Critical at start-up.
    /// </summary>
    public bool AllowUnsignedWebhooks { get; set; }

    /// <summary>How the lead webhook checks what it receives.</summary>
    public LeadWebhookSigning WebhookSigning => WebhookSecret is { Length: > 0 } ? LeadWebhookSigning.Signed
        : AllowUnsignedWebhooks ? LeadWebhookSigning.Unsigned
        : LeadWebhookSigning.NotConfigured;

    /// <summary>How far a signature's timestamp may be from this node's clock (replay window).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>This service's public base URL, for the webhook URL given to TikTok; unset: as the request reached the node.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry of a failed call-back; later ones double, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts before a lead is marked failed (it is kept, and POST /leads/{id}/retry sends it again).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>Call-backs made at once per organizer.</summary>
    [Range(1, 100)]
    public int ForwardConcurrency { get; set; } = 8;

    /// <summary>Allow call-back URLs on loopback and private addresses (tests, the sandbox demo, in-house receivers).</summary>
    public bool AllowPrivateCallbackAddresses { get; set; }

    /// <summary>How often configured ads are pulled through the lead-task API, in case a webhook was missed. Zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a running lead task is polled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PullPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A task that has not finished by then is marked failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the encrypted answers of a lead that was not forwarded are kept (for a retry).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan AnswerRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long after a lead a purchase with its phone or email hash counts as the lead's ticket (CRM event).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ConversionWindow { get; set; } = TimeSpan.FromDays(30);
}
