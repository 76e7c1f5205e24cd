namespace TikTokAds.TikTok.Models;

/// <summary>POST /segment/audience/: create (with a name) or delete (with delete_audience_id).</summary>
public sealed record SegmentAudienceRequest
{
    public required string AdvertiserId { get; init; }
    public required string Action { get; init; }
    public string? CustomAudienceName { get; init; }
    public string? DeleteAudienceId { get; init; }
}

public sealed record SegmentAudienceResult(string? AudienceId);

/// <summary>
/// POST /segment/mapping/: each user is a list aligned to id_schema, one {id, audience_ids} per schema
/// entry, or {} where the user has no such id (<see cref="SegmentBatch"/>).
/// </summary>
public sealed record SegmentMappingRequest
{
    public required IReadOnlyList<string> AdvertiserIds { get; init; }

    /// <summary>add or delete.</summary>
    public required string Action { get; init; }

    public required IReadOnlyList<string> IdSchema { get; init; }

    public required SegmentBatch BatchData { get; init; }
}

public sealed record SegmentId
{
    public static readonly SegmentId Missing = new();

    public string? Id { get; init; }
    public IReadOnlyList<string>? AudienceIds { get; init; }
}

public sealed record CustomAudienceCreateRequest
{
    public required string AdvertiserId { get; init; }
    public required string CustomAudienceName { get; init; }
    public required string CalculateType { get; init; }
    public IReadOnlyList<string>? FilePaths { get; init; }
    public string? AudienceSubType { get; init; }
    public int? RetentionInDays { get; init; }
}

public sealed record CustomAudienceUpdateRequest
{
    public required string AdvertiserId { get; init; }
    public required string CustomAudienceId { get; init; }
    public string? CustomAudienceName { get; init; }
    public IReadOnlyList<string>? FilePaths { get; init; }

    /// <summary>APPEND, REMOVE or REPLACE (TikTok's default).</summary>
    public string? Action { get; init; }
}

public sealed record CustomAudienceIdResult(string? CustomAudienceId);

public sealed record CustomAudienceDeleteRequest(string AdvertiserId, IReadOnlyList<string> CustomAudienceIds);

public sealed record FileUploadResult(string? FilePath);

public sealed record CustomAudienceInfo
{
    public string? AudienceId { get; init; }
    public string? Name { get; init; }
    public long? CoverNum { get; init; }

    /// <summary>False while TikTok is still computing the audience, or once it expired.</summary>
    public bool? IsValid { get; init; }

    public bool? IsExpiring { get; init; }
    public long? ExpiredTime { get; init; }
    public string? AudienceType { get; init; }
    public string? CalculateType { get; init; }
}

public sealed record CustomAudienceList(IReadOnlyList<CustomAudienceInfo>? List, PageInfo? PageInfo);

public sealed record PageInfo(int Page, int PageSize, int TotalNumber, int TotalPage);

public sealed record LookalikeCreateRequest
{
    public required string AdvertiserId { get; init; }
    public required string CustomAudienceName { get; init; }
    public required LookalikeSpec LookalikeSpec { get; init; }
}

public sealed record LookalikeSpec
{
    public required string SourceAudienceId { get; init; }

    /// <summary>NARROW, BALANCED or BROAD.</summary>
    public required string AudienceSize { get; init; }

    public bool? IncludeSource { get; init; }
    public IReadOnlyList<string>? LocationIds { get; init; }
    public string? MobileOs { get; init; }
    public IReadOnlyList<string>? Placements { get; init; }
}
