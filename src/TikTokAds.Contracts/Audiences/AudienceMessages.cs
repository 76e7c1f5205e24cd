namespace TikTokAds.Contracts.Audiences;

[GenerateSerializer, Immutable]
public sealed record AudienceCreateRequest(string AdvertiserId, string Name, IReadOnlyList<string> IdSchema, bool Exclusion, int? RetentionInDays);

/// <summary>
/// A sync run as the gateway hands it over: rows aligned to IdSchema, each cell a SHA-256 or "" (absent
/// or invalid). Rows with no valid identifier are already dropped and counted in Total − Valid. The rows
/// come as text ("cell,cell") or, when Packed is set, already packed (a presence mask, then 32 bytes per
/// IdSchema entry) and Rows is empty.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AudienceSyncRequest(string Action, IReadOnlyList<string> IdSchema, IReadOnlyList<string> Rows, int Total, int Valid, string Trigger, byte[]? Packed = null);

[GenerateSerializer, Immutable]
public sealed record LookalikeRequest(string AudienceSize, IReadOnlyList<string> LocationIds, bool IncludeSource, string? Name);

[GenerateSerializer]
public enum AudienceOutcome
{
    Created,
    Deleted,
    NotFound,
    NoConnection,
    SourceTooSmall,
    TikTokRefused,
    TikTokUnavailable,
}

[GenerateSerializer, Immutable]
public sealed record AudienceResult(AudienceOutcome Outcome, AudienceView? Audience, int Code, string Message);

[GenerateSerializer, Immutable]
public sealed record SyncResult(bool Queued, long RunId, string Status, int Total, int Valid, string Message);

public static class AudienceStatuses
{
    /// <summary>Created at TikTok, not usable yet; runs wait.</summary>
    public const string Processing = "processing";
    public const string Ready = "ready";
}

[GenerateSerializer, Immutable]
public sealed record AudienceRun(
    long RunId,
    string Action,
    string Trigger,
    string Status,
    int Total,
    int Valid,
    int Uploaded,
    int Removed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);

[GenerateSerializer, Immutable]
public sealed record LookalikeView(string TikTokAudienceId, string Name, string AudienceSize, bool IncludeSource, IReadOnlyList<string> LocationIds, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record AudienceView(
    string Id,
    string AdvertiserId,
    string Name,
    string? TikTokAudienceId,
    string Status,
    IReadOnlyList<string> IdSchema,
    bool Exclusion,
    int? RetentionInDays,
    long Members,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadyAt,
    string? LastError,
    IReadOnlyList<AudienceRun> Runs,
    IReadOnlyList<LookalikeView> Lookalikes);
