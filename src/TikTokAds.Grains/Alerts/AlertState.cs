using TikTokAds.Contracts.Alerts;

namespace TikTokAds.Grains.Alerts;

/// <summary>An organizer's alerts as stored: rules, webhook, active and recent alerts, and the notifications still to send.</summary>
public sealed record AlertState
{
    public bool Started { get; init; }
    public AlertRules? Rules { get; init; }
    public string? WebhookUrl { get; init; }
    public string? ProtectedSecret { get; init; }
    public IReadOnlyList<AlertView> Active { get; init; } = [];
    public IReadOnlyList<AlertView> Resolved { get; init; } = [];
    public IReadOnlyList<AlertNotification> Outbox { get; init; } = [];
    public DateTimeOffset? LastDeliveredAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>One webhook delivery to make: the exact body, signed at send time; kept until the receiver answers 2xx.</summary>
public sealed record AlertNotification(string Id, string Body, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset NextAttemptAt);
