using System.Collections.Frozen;

namespace TikTokAds.TikTok;

/// <summary>The one table that turns a body code (or, without one, an HTTP status) into an outcome.</summary>
public static class TikTokResponseClassifier
{
    private static readonly FrozenDictionary<int, TikTokOutcome> Codes = new Dictionary<int, TikTokOutcome>
    {
        [TikTokCodes.Ok] = TikTokOutcome.Success,
        [TikTokCodes.PartialSuccess] = TikTokOutcome.Success,

        [TikTokCodes.RateLimited] = TikTokOutcome.Throttled,
        [TikTokCodes.AppRateLimited] = TikTokOutcome.Throttled,
        [TikTokCodes.PixelQpsCap] = TikTokOutcome.Throttled,
        [TikTokCodes.AdvertiserQpsCap] = TikTokOutcome.Throttled,

        [TikTokCodes.InvalidParameters] = TikTokOutcome.InvalidRequest,
        [TikTokCodes.InvalidEvent] = TikTokOutcome.InvalidRequest,
        [TikTokCodes.InvalidUserData] = TikTokOutcome.InvalidRequest,
        [40006] = TikTokOutcome.InvalidRequest,
        [TikTokCodes.ObjectNotFound] = TikTokOutcome.InvalidRequest,
        [TikTokCodes.NotInSandbox] = TikTokOutcome.InvalidRequest,
        [40009] = TikTokOutcome.InvalidRequest,
        [TikTokCodes.TooManyIds] = TikTokOutcome.InvalidRequest,
        [40013] = TikTokOutcome.InvalidRequest,
        [TikTokCodes.NoSandboxAccount] = TikTokOutcome.InvalidRequest,
        [40051] = TikTokOutcome.InvalidRequest,
        [TikTokCodes.AdvertiserMissing] = TikTokOutcome.InvalidRequest,
        [40301] = TikTokOutcome.InvalidRequest,
        [41000] = TikTokOutcome.InvalidRequest,

        [TikTokCodes.NoPermission] = TikTokOutcome.Authorization,
        [TikTokCodes.InvalidAppId] = TikTokOutcome.Authorization,
        [TikTokCodes.TokenExpired] = TikTokOutcome.Authorization,
        [40103] = TikTokOutcome.Authorization,
        [TikTokCodes.TokenEmpty] = TikTokOutcome.Authorization,
        [TikTokCodes.TokenInvalid] = TikTokOutcome.Authorization,
        [TikTokCodes.CoreUserInvalid] = TikTokOutcome.Authorization,
        [TikTokCodes.RefreshTokenInvalid] = TikTokOutcome.Authorization,
        [40110] = TikTokOutcome.Authorization,
        [40113] = TikTokOutcome.Authorization,
        [TikTokCodes.AuthCodeUsed] = TikTokOutcome.Authorization,
        [40118] = TikTokOutcome.Authorization,
        [40119] = TikTokOutcome.Authorization,
        [40124] = TikTokOutcome.Authorization,
        [40125] = TikTokOutcome.Authorization,

        [TikTokCodes.WriteConflict] = TikTokOutcome.Transient,
        [TikTokCodes.InternalValidation] = TikTokOutcome.Transient,
        [TikTokCodes.InternalError] = TikTokOutcome.Transient,
        [TikTokCodes.ServiceError] = TikTokOutcome.Transient,
        [TikTokCodes.RemoteServiceError] = TikTokOutcome.Transient,
        [TikTokCodes.Maintenance] = TikTokOutcome.Transient,
    }.ToFrozenDictionary();

    /// <summary>Codes that mean the connection's token no longer works and needs reauthorisation.</summary>
    public static bool RequiresReauthorisation(int code)
        => code is TikTokCodes.TokenExpired or TikTokCodes.TokenEmpty or TikTokCodes.TokenInvalid or TikTokCodes.CoreUserInvalid;

    public static TikTokOutcome Classify(int code)
    {
        if (Codes.TryGetValue(code, out var outcome))
        {
            return outcome;
        }
        return code switch
        {
            >= 40900 and <= 40915 => TikTokOutcome.InvalidRequest, // file errors
            >= 50000 and < 70000 => TikTokOutcome.Transient,
            < 0 => TikTokOutcome.Transient, // the client's own: timeouts, network, open circuit, malformed bodies
            _ => TikTokOutcome.InvalidRequest,
        };
    }

    /// <summary>A non-200 answer: 5xx and 429 are TikTok's trouble; other 4xx mean a wrong path or method.</summary>
    public static TikTokOutcome ClassifyHttpStatus(int status)
        => status is >= 500 or 429 or 408 ? TikTokOutcome.Transient : TikTokOutcome.InvalidRequest;
}
