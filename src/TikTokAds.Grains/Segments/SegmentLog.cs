using Microsoft.Extensions.Logging;

namespace TikTokAds.Grains.Segments;

internal static partial class SegmentLog
{
    [LoggerMessage(3901, LogLevel.Information, "Segment {Segment} saved: audience {AudienceId}, schedule {Schedule}")]
    public static partial void Saved(ILogger logger, string segment, string audienceId, string schedule);

    [LoggerMessage(3902, LogLevel.Information, "Segment {Segment} run {RunId}: {Added} to add and {Removed} to remove queued at its audience")]
    public static partial void Queued(ILogger logger, string segment, long runId, int added, int removed);

    [LoggerMessage(3903, LogLevel.Information, "Segment {Segment} run {RunId} {Status}: {Added} added, {Removed} removed")]
    public static partial void Finished(ILogger logger, string segment, long runId, string status, int added, int removed);

    [LoggerMessage(3904, LogLevel.Information, "Purged {Count} buyer fact(s) past retention")]
    public static partial void Purged(ILogger logger, long count);

    [LoggerMessage(3905, LogLevel.Warning, "Purging buyer facts failed; retrying in an hour")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);
}
