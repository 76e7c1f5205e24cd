using TikTokAds.Contracts.Audiences;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Audiences;

/// <summary>The answers an audience gives its callers.</summary>
internal static class AudienceResults
{
    public static readonly AudienceResult NotFound = new(AudienceOutcome.NotFound, null, 0, "Unknown audience.");

    public static AudienceResult Created(AudienceView view, string message) => new(AudienceOutcome.Created, view, 0, message);

    public static AudienceResult NoConnection(string message) => new(AudienceOutcome.NoConnection, null, 0, message);

    public static AudienceResult Deleted(bool atTikTok) => new(AudienceOutcome.Deleted, null, 0, atTikTok ? "Deleted here and at TikTok." : "Deleted here; no connection was left to delete it at TikTok.");

    public static AudienceResult SourceTooSmall(long members, int minimum) => new(AudienceOutcome.SourceTooSmall, null, 0, $"A lookalike needs a source of at least {minimum} members; this audience has {members}.");

    /// <summary>TikTok said no: unavailable (the caller may retry later) or refused (it may not).</summary>
    public static AudienceResult Refused<T>(TikTokResponse<T> response) => new(
        response.Outcome is TikTokOutcome.Transient or TikTokOutcome.Throttled ? AudienceOutcome.TikTokUnavailable : AudienceOutcome.TikTokRefused,
        null, response.Code, $"TikTok {response.Code}: {response.Message}");

    public static SyncResult UnknownAudience(AudienceSyncRequest request) => new(false, 0, "not_found", request.Total, request.Valid, "Unknown audience.");

    public static SyncResult Scheduled(long runId, AudienceSyncRequest request, DateTimeOffset at)
        => new(true, runId, OperationStatuses.Scheduled, request.Total, request.Valid, $"Scheduled for the daily sync at {at:yyyy-MM-dd HH:mm} UTC.");

    public static SyncResult Queued(long runId, AudienceSyncRequest request, bool audienceProcessing)
        => new(true, runId, OperationStatuses.Pending, request.Total, request.Valid,
            $"Queued; runs apply in order.{(audienceProcessing ? " TikTok is still processing the audience; the run waits for it." : "")}");
}
