using Microsoft.Extensions.Logging;

namespace TikTokAds.TikTok.Internal;

/// <summary>Every TikTok client log message. Event ids 4000–4999. Never an access token, never PII.</summary>
internal static partial class TikTokLog
{
    [LoggerMessage(4001, LogLevel.Debug, "TikTok {Operation}: {Outcome} code {Code} request {RequestId} in {ElapsedMs:0} ms")]
    public static partial void Completed(ILogger logger, string operation, TikTokOutcome outcome, int code, string? requestId, double elapsedMs);

    [LoggerMessage(4002, LogLevel.Warning, "TikTok {Operation} failed: {Outcome} code {Code} ({Message}) request {RequestId}, token {TokenKey}")]
    public static partial void Failed(ILogger logger, string operation, TikTokOutcome outcome, int code, string message, string? requestId, string tokenKey);
}
