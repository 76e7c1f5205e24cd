namespace TikTokAds.TikTok.Models;

/// <summary>POST /page/lead/task/: the first call (no task_id) starts an export; repeat with task_id to poll.</summary>
public sealed record LeadTaskRequest
{
    public required string AdvertiserId { get; init; }
    public string? PageId { get; init; }
    public string? AdId { get; init; }
    public string? TaskId { get; init; }
}

/// <summary>status: CREATED, RUNNING, SUCCEED or FAILED.</summary>
public sealed record LeadTaskResult(string? TaskId, string? Status);

public sealed record LeadForm
{
    public string? PageId { get; init; }
    public string? Title { get; init; }
    public string? Status { get; init; }
    public long? CreateTime { get; init; }
}

public sealed record LeadFormList(IReadOnlyList<LeadForm>? List, PageInfo? PageInfo);

public sealed record LeadSubscriptionRequest
{
    public required string AppId { get; init; }
    public required string Secret { get; init; }
    public string SubscribeEntity { get; init; } = "LEAD";
    public required string CallbackUrl { get; init; }
    public required LeadSubscriptionDetail SubscriptionDetail { get; init; }
}

public sealed record LeadSubscriptionDetail
{
    public required string AccessToken { get; init; }
    public string? AdvertiserId { get; init; }
    public string? PageId { get; init; }

    /// <summary>INSTANT_FORM or DIRECT_MESSAGE.</summary>
    public string LeadSource { get; init; } = "INSTANT_FORM";
}

public sealed record LeadSubscriptionResult(string? SubscriptionId);
