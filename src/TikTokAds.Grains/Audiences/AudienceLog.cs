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
}
