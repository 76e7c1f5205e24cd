using Microsoft.Extensions.Logging;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Events;

internal static partial class PixelLog
{
    [LoggerMessage(3101, LogLevel.Warning, "Pixel {PixelKey}: {Count} event(s) not delivered: {Outcome} code {Code} (request {RequestId})")]
    public static partial void DeliveryProblem(ILogger logger, string pixelKey, int count, TikTokOutcome outcome, int code, string? requestId);
}
