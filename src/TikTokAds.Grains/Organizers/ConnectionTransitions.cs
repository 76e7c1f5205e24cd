using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Organizers;

/// <summary>How a pixel connection moves: connected, updated, marked for reauthorisation, healed.</summary>
public static class ConnectionTransitions
{
    public static ConnectResult OrganizerNotFound { get; } = new(ConnectOutcome.OrganizerNotFound, null, 0, "Unknown organizer.");

    public static ConnectResult NotConnected(string pixelId) => new(ConnectOutcome.NotConnected, null, 0, $"Pixel {pixelId} is not connected.");

    public static DisconnectResult NotFound(string pixelId) => new(DisconnectOutcome.NotFound, 0, 0, $"Pixel {pixelId} is not connected.");

    /// <summary>The connection as requested; an update keeps when it was first connected and its last delivery.</summary>
    public static ConnectionRecord Connect(ConnectionRecord? existing, ConnectRequest request, DateTimeOffset now, string? authorizationId = null)
        => new(request.PixelId, request.AdvertiserId, request.ProtectedToken!, request.TestMode, request.TestEventCode,
            request.DefaultCountryCode, request.Toggles, request.Limits, ConnectionStatus.Connected,
            existing?.ConnectedAt ?? now, now, existing?.LastEventSent, null, authorizationId);

    public static ConnectResult Connected(ConnectionRecord? existing, ConnectionRecord record)
        => new(existing is null ? ConnectOutcome.Connected : ConnectOutcome.Updated, record.ToView(), 0, "OK");

    /// <summary>TikTok rejected the token: reauthorisation is required. Null when the connection already says so.</summary>
    public static ConnectionRecord? Rejected(ConnectionRecord connection, int code, string message, DateTimeOffset now)
        => connection.Status == ConnectionStatus.ReauthorisationRequired
            ? null
            : connection with { Status = ConnectionStatus.ReauthorisationRequired, LastError = $"TikTok {code}: {message}", UpdatedAt = now };

    /// <summary>TikTok accepts the token again. Null when the connection was not broken.</summary>
    public static ConnectionRecord? Healed(ConnectionRecord connection, DateTimeOffset now)
        => connection.Status == ConnectionStatus.Connected ? null : connection with { Status = ConnectionStatus.Connected, LastError = null, UpdatedAt = now };

    /// <summary>
    /// The answer to a verify: a rejected token is still "verified" (the connection now shows why), and
    /// only an outage or a refusal for the advertiser or pixel answers as such.
    /// </summary>
    public static ConnectResult Verified(ConnectResult? check, ConnectionView connection)
        => check is null or { Outcome: ConnectOutcome.TokenRejected }
            ? new ConnectResult(ConnectOutcome.Verified, connection, check?.TikTokCode ?? 0, check?.Message ?? "TikTok accepts the token.")
            : check with { Connection = connection };

    /// <summary>The connection with what its pixel knows of the last delivery.</summary>
    public static ConnectionView Described(ConnectionRecord connection, PixelStatusView pixel)
        => connection.ToView() with { LastEventSent = pixel.LastEventSent ?? connection.LastEventSent, LastError = connection.LastError ?? pixel.LastError };

    public static IReadOnlyDictionary<string, ConnectionRecord> With(IReadOnlyDictionary<string, ConnectionRecord> connections, params IEnumerable<ConnectionRecord> records)
    {
        var updated = new Dictionary<string, ConnectionRecord>(connections);
        foreach (var record in records)
        {
            updated[record.PixelId] = record;
        }
        return updated;
    }

    public static IReadOnlyDictionary<string, ConnectionRecord> Without(IReadOnlyDictionary<string, ConnectionRecord> connections, string pixelId)
        => connections.Where(c => c.Key != pixelId).ToDictionary();
}
