using Microsoft.Extensions.Logging;

namespace TikTokAds.Grains;

/// <summary>Grain log messages. Event ids 3000–3999. Never a token, a key or raw PII.</summary>
internal static partial class GrainsLog
{
    [LoggerMessage(3001, LogLevel.Warning, "No Security:TokenKeys configured: access tokens are encrypted under a key that lives only as long as this process (fine for the in-memory embedded default only)")]
    public static partial void EphemeralTokenKey(ILogger logger);

    [LoggerMessage(3010, LogLevel.Information, "Organizer {OrganizerId} connected pixel {PixelId} (advertiser {AdvertiserId}, test mode {TestMode})")]
    public static partial void Connected(ILogger logger, string organizerId, string pixelId, string advertiserId, bool testMode);

    [LoggerMessage(3011, LogLevel.Warning, "Organizer {OrganizerId}: TikTok rejected the token for pixel {PixelId} (code {Code}); reauthorisation required")]
    public static partial void TokenRejected(ILogger logger, string organizerId, string pixelId, int code);

    [LoggerMessage(3012, LogLevel.Information, "Organizer {OrganizerId} disconnected pixel {PixelId}")]
    public static partial void Disconnected(ILogger logger, string organizerId, string pixelId);

    [LoggerMessage(3013, LogLevel.Information, "Organizer {OrganizerId} authorized TikTok ({AuthorizationId}, {Advertisers} advertiser(s))")]
    public static partial void Authorized(ILogger logger, string organizerId, string authorizationId, int advertisers);

    [LoggerMessage(3014, LogLevel.Warning, "Organizer {OrganizerId}: TikTok rejected authorization {AuthorizationId} (code {Code}); reauthorisation required")]
    public static partial void AuthorizationRejected(ILogger logger, string organizerId, string authorizationId, int code);

    [LoggerMessage(3015, LogLevel.Information, "Organizer {OrganizerId} deleted authorization {AuthorizationId}")]
    public static partial void AuthorizationDeleted(ILogger logger, string organizerId, string authorizationId);

    [LoggerMessage(3016, LogLevel.Information, "Organizer {OrganizerId}: dropped TikTok's rejection (code {Code}) of a token that {Holder} {HolderId} no longer uses; the token in use is unchanged")]
    public static partial void StaleTokenRejection(ILogger logger, string organizerId, string holder, string holderId, int code);
}
