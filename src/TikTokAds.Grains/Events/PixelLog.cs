using Microsoft.Extensions.Logging;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Events;

internal static partial class PixelLog
{
    [LoggerMessage(3101, LogLevel.Warning, "Pixel {PixelKey}: {Count} event(s) not delivered: {Outcome} code {Code} (request {RequestId})")]
    public static partial void DeliveryProblem(ILogger logger, string pixelKey, int count, TikTokOutcome outcome, int code, string? requestId);

    [LoggerMessage(3102, LogLevel.Warning, "Pixel {PixelKey}: TikTok accepted {Count} event(s) (request {RequestId}) but the store could not be told; they stay waiting there and go again")]
    public static partial void SettleFailed(ILogger logger, Exception exception, string pixelKey, int count, string? requestId);
}
