using Microsoft.Extensions.Logging;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Assurance;

/// <summary>Reconciliation and match-quality messages: event ids 3600–3699. Counts and names only, never event data.</summary>
internal static partial class AssuranceLog
{
    [LoggerMessage(3601, LogLevel.Information, "Pixel {PixelKey}: reconciled {Days} day(s) with TikTok's counts; {Flagged} flagged gap(s)")]
    public static partial void Reconciled(ILogger logger, string pixelKey, int days, int flagged);

    [LoggerMessage(3602, LogLevel.Warning, "Pixel {PixelKey}: reconciliation stopped after {Days} day(s): {Outcome} code {Code} (request {RequestId})")]
    public static partial void ReconciliationStopped(ILogger logger, string pixelKey, int days, TikTokOutcome outcome, int code, string? requestId);

    [LoggerMessage(3603, LogLevel.Warning, "Pixel {PixelKey}: {EventName} on {Day}: delivered {Delivered}, TikTok counted {Server} server event(s); gap {Gap} ({GapRatio:P2})")]
    public static partial void GapFlagged(ILogger logger, string pixelKey, string eventName, DateOnly day, long delivered, long server, long gap, double gapRatio);

    [LoggerMessage(3604, LogLevel.Warning, "Pixel {PixelKey}: the organizer's alerts could not be told of this reconciliation run; they will ask for it")]
    public static partial void AlertsNotTold(ILogger logger, Exception exception, string pixelKey);
}
