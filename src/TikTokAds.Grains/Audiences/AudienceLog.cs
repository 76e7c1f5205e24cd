using Microsoft.Extensions.Logging;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Audiences;

internal static partial class AudienceLog
{
    [LoggerMessage(3301, LogLevel.Information, "Audience {AudienceKey} created at TikTok as {TikTokAudienceId}")]
    public static partial void Created(ILogger logger, string audienceKey, string tikTokAudienceId);

    [LoggerMessage(3302, LogLevel.Warning, "Audience {AudienceKey} run {RunId}: {Outcome} code {Code} (request {RequestId})")]
    public static partial void SyncProblem(ILogger logger, string audienceKey, long runId, TikTokOutcome outcome, int code, string? requestId);

    [LoggerMessage(3303, LogLevel.Information, "Audience {AudienceKey}: {Count} scheduled run(s) released at the sync hour")]
    public static partial void ScheduledRunsReleased(ILogger logger, string audienceKey, int count);

    [LoggerMessage(3304, LogLevel.Warning, "Audience {AudienceKey}: its member log was not rewritten after run {RunId} ended; it still replays whole, and the next run's end tries again")]
    public static partial void MemberRewriteFailed(ILogger logger, Exception exception, string audienceKey, long runId);
}
