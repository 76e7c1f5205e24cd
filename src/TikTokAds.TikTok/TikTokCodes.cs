namespace TikTokAds.TikTok;

/// <summary>Body codes of TikTok's envelope (TIKTOK_API.md §1.10), and the client's own negative codes.</summary>
public static class TikTokCodes
{
    public const int Ok = 0;
    public const int PartialSuccess = 20001;
    public const int InvalidParameters = 40000;
    public const int NoPermission = 40001;
    public const int InvalidEvent = 40002;
    public const int InvalidUserData = 40003;
    public const int ObjectNotFound = 40007;
    public const int NotInSandbox = 40008;
    public const int TooManyIds = 40011;
    public const int NoSandboxAccount = 40014;
    public const int AppRateLimited = 40016;
    public const int RateLimited = 40100;
    public const int InvalidAppId = 40101;
    public const int TokenExpired = 40102;
    public const int TokenEmpty = 40104;
    public const int TokenInvalid = 40105;
    public const int CoreUserInvalid = 40106;
    public const int RefreshTokenInvalid = 40107;
    public const int AuthCodeUsed = 40115;
    public const int PixelQpsCap = 40132;
    public const int AdvertiserQpsCap = 40133;
    public const int WriteConflict = 40202;
    public const int AdvertiserMissing = 40300;
    public const int InternalValidation = 40700;
    public const int InternalError = 50000;
    public const int ServiceError = 50002;
    public const int RemoteServiceError = 51305;
    public const int Maintenance = 60001;

    /// <summary>No body code: the HTTP status was not 200.</summary>
    public const int HttpError = -1;

    /// <summary>No answer within the attempt timeout, after every retry.</summary>
    public const int Timeout = -2;

    /// <summary>The connection failed, after every retry.</summary>
    public const int NetworkError = -3;

    /// <summary>The circuit breaker for this access token is open: no request was sent.</summary>
    public const int CircuitOpen = -4;

    /// <summary>An HTTP 200 whose body is not TikTok's envelope.</summary>
    public const int MalformedResponse = -5;
}
