namespace TikTokAds.Node.Apis.Audiences;

public sealed record CreateAudienceBody(string? AdvertiserId, string? CustomAudienceName, string? AudienceType, IReadOnlyList<string>? IdSchema, bool? Exclusion, int? RetentionInDays);

/// <summary>The seed's sync body: members are rows aligned to id_schema, raw or already SHA-256.</summary>
public sealed record SyncBody(string? Action, IReadOnlyList<string>? IdSchema, MemberRows? Members, string? Trigger);

public sealed record LookalikeBody(string? AudienceSize, IReadOnlyList<string>? LocationIds, bool? IncludeSource, string? CustomAudienceName);

public sealed record SyncAccepted(long RunId, string Action, string Status, int Total, int Valid, int Invalid, string Message);

public sealed record AudienceResponse(
    string Id,
    string AdvertiserId,
    string CustomAudienceName,
    string? TiktokAudienceId,
    string Status,
    IReadOnlyList<string> IdSchema,
    bool Exclusion,
    int? RetentionInDays,
    long Members,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadyAt,
    string? LastError,
    IReadOnlyList<RunResponse> Runs,
    IReadOnlyList<LookalikeResponse> Lookalikes);

public sealed record RunResponse(long RunId, string Action, string Trigger, string Status, int Total, int Valid, int Uploaded, int Removed, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error);

public sealed record LookalikeResponse(string TiktokAudienceId, string Name, string AudienceSize, bool IncludeSource, IReadOnlyList<string> LocationIds, DateTimeOffset CreatedAt);
