using Microsoft.Extensions.Logging;

namespace TikTokAds.Grains.Alerts;

/// <summary>Alert log messages. Event ids 3500–3599.</summary>
internal static partial class AlertLog
{
    [LoggerMessage(3501, LogLevel.Warning, "Alert fired for organizer {OrganizerId}: {Rule} on pixel {PixelId}: {Message}")]
    public static partial void Fired(ILogger logger, string organizerId, string rule, string pixelId, string message);

    [LoggerMessage(3502, LogLevel.Information, "Alert resolved for organizer {OrganizerId}: {Rule} on pixel {PixelId}")]
    public static partial void Resolved(ILogger logger, string organizerId, string rule, string pixelId);

    [LoggerMessage(3503, LogLevel.Warning, "Organizer {OrganizerId}: alert webhook not acknowledged (attempt {Attempts}): {Error}; retrying")]
    public static partial void WebhookFailed(ILogger logger, string organizerId, int attempts, string error);

    [LoggerMessage(3504, LogLevel.Warning, "Organizer {OrganizerId}: {Count} undelivered alert notification(s) dropped, the oldest first (Alerts:MaxPending)")]
    public static partial void OutboxFull(ILogger logger, string organizerId, int count);
}
