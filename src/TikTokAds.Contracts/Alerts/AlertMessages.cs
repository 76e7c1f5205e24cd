namespace TikTokAds.Contracts.Alerts;

/// <summary>The names of the alert rules, as the API, the webhook and /metrics spell them.</summary>
public static class AlertRuleNames
{
    public const string DeliveryDrop = "delivery_drop";
    public const string FailureRatio = "failure_ratio";
    public const string OldestWaiting = "oldest_waiting";
    public const string BudgetExhausted = "budget_exhausted";
    public const string ReauthorizationRequired = "reauthorization_required";
    public const string ReconciliationGap = "reconciliation_gap";

    public static readonly IReadOnlyList<string> All = [DeliveryDrop, FailureRatio, OldestWaiting, BudgetExhausted, ReauthorizationRequired, ReconciliationGap];
}

/// <summary>
/// An organizer's alert rules. Each can be switched off; the defaults are what a ticketing organizer needs
/// without configuring anything.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlertRules(
    DeliveryDropRule DeliveryDrop,
    FailureRatioRule FailureRatio,
    OldestWaitingRule OldestWaiting,
    ToggleRule BudgetExhausted,
    ToggleRule ReauthorizationRequired,
    ToggleRule ReconciliationGap)
{
    public static AlertRules Defaults { get; } = new(
        new DeliveryDropRule(true, 0.25, 100),
        new FailureRatioRule(true, 0.05, 15, 5),
        new OldestWaitingRule(true, 30),
        new ToggleRule(true),
        new ToggleRule(true),
        new ToggleRule(true));
}

/// <summary>The last full hour delivered less than BelowRatio of the usual for that hour of the day (the mean of the 7 days before), when the usual is at least MinUsualPerHour events.</summary>
[GenerateSerializer, Immutable]
public sealed record DeliveryDropRule(bool Enabled, double BelowRatio, int MinUsualPerHour);

/// <summary>More than AboveRatio of the requests to TikTok in the last WindowMinutes failed (any answer but success), once at least MinRequests were sent.</summary>
[GenerateSerializer, Immutable]
public sealed record FailureRatioRule(bool Enabled, double AboveRatio, int WindowMinutes, int MinRequests);

/// <summary>An event has been waiting for TikTok longer than Minutes.</summary>
[GenerateSerializer, Immutable]
public sealed record OldestWaitingRule(bool Enabled, int Minutes);

[GenerateSerializer, Immutable]
public sealed record ToggleRule(bool Enabled);

/// <summary>One alert: a rule's condition on one pixel, active until the condition clears (then resolved).</summary>
[GenerateSerializer, Immutable]
public sealed record AlertView(
    string Id,
    string Rule,
    string PixelId,
    string State,
    string Message,
    double? Value,
    double? Threshold,
    DateTimeOffset FiredAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ResolvedAt);

/// <summary>Where alerts are sent; the secret never leaves the grain, only whether one is set.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertWebhookView(string? Url, bool Signed, int Pending, DateTimeOffset? LastDeliveredAt, string? LastError);

/// <summary>Webhook settings; ProtectedSecret is the signing secret encrypted with the token keys.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertWebhookSettings(string? Url, string? ProtectedSecret);

/// <summary>What one evaluation found: alerts that fired and that resolved, and the active count after it.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertEvaluation(IReadOnlyList<AlertView> Fired, IReadOnlyList<AlertView> Resolved, int Active);

/// <summary>A pixel's waiting events as its activation holds them, and the day's event budget left.</summary>
[GenerateSerializer, Immutable]
public sealed record PixelBacklog(bool Connected, int Waiting, DateTimeOffset? OldestWaitingAt, int BudgetLeftToday);

/// <summary>What an organizer's alerts judge a pixel by: its backlog and budget, and its recent requests to TikTok.</summary>
[GenerateSerializer, Immutable]
public sealed record PixelSignals(
    string PixelId,
    bool Connected,
    int Waiting,
    DateTimeOffset? OldestWaitingAt,
    int BudgetLeftToday,
    IReadOnlyDictionary<string, long> RequestsInWindow,
    IReadOnlyDictionary<DateTimeOffset, long> DeliveredByHour);
