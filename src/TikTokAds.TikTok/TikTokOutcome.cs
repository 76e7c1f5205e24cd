namespace TikTokAds.TikTok;

/// <summary>What a response means for the caller, decided from the body code (not the HTTP status).</summary>
public enum TikTokOutcome
{
    Success,

    /// <summary>Rate limited (40100, 40016, 40132, 40133): back off and retry.</summary>
    Throttled,

    /// <summary>The request itself is wrong: retrying the same request cannot succeed.</summary>
    InvalidRequest,

    /// <summary>Token, app or permission trouble: reauthorise or fix the connection.</summary>
    Authorization,

    /// <summary>TikTok-side or network trouble: retry later.</summary>
    Transient,
}
