namespace TikTokAds.Grains.Audiences;

/// <summary>
/// One sync run: its rows are aligned to IdSchema, each cell a hashed identifier or "" (no such id).
/// Phase 0 uploads the rows (add or delete); REPLACE then has phase 1, removing whatever is stored but
/// not in the new set. Progress counts rows done in phase 0, so a resumed run skips them.
/// </summary>
public sealed record AudienceOperation(
    long OpId,
    string Action,
    IReadOnlyList<string> IdSchema,
    string Trigger,
    int Total,
    int Valid,
    string Status,
    int Phase,
    int Progress,
    int Uploaded,
    int Removed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);

public static class OperationStatuses
{
    public const string Scheduled = "scheduled";
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}
