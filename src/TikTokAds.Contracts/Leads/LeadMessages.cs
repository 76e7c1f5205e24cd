namespace TikTokAds.Contracts.Leads;

/// <summary>
/// A lead as received from TikTok. Its answers (name, phone, email…) arrive already encrypted
/// (<see cref="ProtectedFields"/>, organizer-bound); only the SHA-256 of the phone and email travel in clear.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IncomingLead(
    string LeadId,
    string AdvertiserId,
    string? PageId,
    string? AdId,
    string? AdName,
    string? CampaignId,
    string? CampaignName,
    string? AdgroupId,
    string? AdgroupName,
    DateTimeOffset CreatedAt,
    string Source,
    string ProtectedFields,
    IReadOnlyList<string> FieldNames,
    string? PhoneSha256,
    string? EmailSha256);

public static class LeadSources
{
    public const string Webhook = "webhook";
    public const string Pull = "pull";
}

public static class LeadStatuses
{
    public const string Pending = "pending";
    public const string Forwarded = "forwarded";
    public const string NotForwarded = "not_forwarded";
    public const string Failed = "failed";
}

/// <summary>Why a lead was not forwarded, or why it stopped being retried.</summary>
public static class LeadReasons
{
    public const string AdNotConfigured = "ad_not_configured";
    public const string AdDisabled = "ad_disabled";
    public const string NoCallbackUrl = "no_callback_url";
    public const string IntegrationDeleted = "integration_deleted";
    public const string CallbackFailed = "callback_failed";
    public const string CallbackAddressRefused = "callback_address_refused";
}

[GenerateSerializer, Immutable]
public sealed record LeadReceipt(bool Found, bool Duplicate, string Status, string? Reason, string Message);

/// <summary>Where leads go: the organizer's call-back receiver, and the secret deliveries are signed with (encrypted).</summary>
[GenerateSerializer, Immutable]
public sealed record LeadCallbackSettings(string? CallbackUrl, string? ProtectedSigningSecret, bool KeepSecret);

/// <summary>One ad's configuration (seed 001's widget): its account, ad id, form name, UTM tags and text template.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadAdConfig(
    string AdId,
    string AdvertiserId,
    string? FormName,
    IReadOnlyDictionary<string, string> Utm,
    string? TextTemplate,
    bool Enabled);

/// <summary>status: active, disabled, misconfigured, integration_deleted or reauthorization_required; fix says what to do.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadAdView(
    string AdId,
    string AdvertiserId,
    string? FormName,
    IReadOnlyDictionary<string, string> Utm,
    string? TextTemplate,
    bool Enabled,
    string Status,
    string? Detail,
    string? Fix,
    DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable]
public sealed record LeadProblem(string Code, string Detail, string Fix, string? AdId);

[GenerateSerializer, Immutable]
public sealed record LeadSubscriptionView(string SubscriptionId, string AdvertiserId, string? PageId, string CallbackUrl, DateTimeOffset CreatedAt);

/// <summary>A lead-task export: running until TikTok says SUCCEED (then imported) or FAILED.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadPullView(string TaskId, string AdvertiserId, string? PageId, string? AdId, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Imported, string? Error);

/// <summary>status: ok, reauthorization_required, misconfigured or integration_deleted (the worst problem).</summary>
[GenerateSerializer, Immutable]
public sealed record LeadIntegrationView(
    string Status,
    IReadOnlyList<LeadProblem> Problems,
    string? CallbackUrl,
    bool SigningSecretSet,
    IReadOnlyList<LeadAdView> Ads,
    IReadOnlyList<LeadSubscriptionView> Subscriptions,
    IReadOnlyList<LeadPullView> Pulls);

[GenerateSerializer, Immutable]
public sealed record LeadQuery(string? Status, string? PageId, string? AdId, int Limit);

/// <summary>A lead as its organizer sees it through the API: answers are listed by name, never by value.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadView(
    string LeadId,
    string AdvertiserId,
    string? PageId,
    string? FormName,
    string? AdId,
    string? AdName,
    string? CampaignName,
    string Source,
    string Status,
    string? Reason,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? ForwardedAt,
    string? LastError,
    IReadOnlyList<string> FieldNames,
    string? PhoneSha256,
    string? EmailSha256);

[GenerateSerializer, Immutable]
public sealed record LeadDeliveryView(int Attempt, DateTimeOffset At, int? HttpStatus, string? Error, long DurationMs);

[GenerateSerializer, Immutable]
public sealed record LeadDetail(LeadView Lead, IReadOnlyList<LeadDeliveryView> Deliveries);

[GenerateSerializer, Immutable]
public sealed record LeadFormView(
    string PageId,
    string? AdvertiserId,
    string? Title,
    string? Status,
    DateTimeOffset? SyncedAt,
    long Leads,
    long Forwarded,
    long Pending,
    long NotForwarded,
    long Failed);

[GenerateSerializer, Immutable]
public sealed record LeadFormsResult(bool Complete, int Synced, IReadOnlyList<LeadFormView> Forms, string Message);

[GenerateSerializer]
public enum LeadTikTokOutcome
{
    Done,
    NoAccess,
    Reauthorise,
    Refused,
    Unavailable,
    NotConfigured,
}

[GenerateSerializer, Immutable]
public sealed record LeadSubscribeResult(LeadTikTokOutcome Outcome, LeadSubscriptionView? Subscription, int TikTokCode, string Message);

[GenerateSerializer, Immutable]
public sealed record LeadPullResult(LeadTikTokOutcome Outcome, LeadPullView? Pull, int TikTokCode, string Message);
