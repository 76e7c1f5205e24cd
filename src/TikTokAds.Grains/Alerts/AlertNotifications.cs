using System.Globalization;
using System.Text.Json.Nodes;
using TikTokAds.Contracts.Alerts;

namespace TikTokAds.Grains.Alerts;

/// <summary>The webhook's body for an alert that fired or resolved, and the retry schedule of undelivered ones.</summary>
public static class AlertNotifications
{
    public static AlertNotification For(string organizerId, AlertView alert, DateTimeOffset now)
    {
        var id = $"{alert.Id}:{alert.State}:{alert.FiredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
        var body = new JsonObject
        {
            ["id"] = id,
            ["type"] = alert.State == "active" ? "alert.fired" : "alert.resolved",
            ["organizer_id"] = organizerId,
            ["created_at"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["alert"] = new JsonObject
            {
                ["id"] = alert.Id,
                ["rule"] = alert.Rule,
                ["pixel_id"] = alert.PixelId,
                ["state"] = alert.State,
                ["message"] = alert.Message,
                ["value"] = alert.Value,
                ["threshold"] = alert.Threshold,
                ["fired_at"] = alert.FiredAt.ToString("O", CultureInfo.InvariantCulture),
                ["resolved_at"] = alert.ResolvedAt?.ToString("O", CultureInfo.InvariantCulture),
            },
        };
        return new AlertNotification(id, body.ToJsonString(), now, 0, now);
    }

    /// <summary>The wait after the n-th failed attempt: the base delay doubled each time, capped.</summary>
    public static TimeSpan Backoff(AlertOptions options, int attempts)
    {
        var grown = options.RetryBaseDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        return grown < options.RetryMaxDelay ? grown : options.RetryMaxDelay;
    }
}
