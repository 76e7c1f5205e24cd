namespace TikTokAds.Grains.Audiences;

/// <summary>How a step ended: the run and the audience as they now stand, and when the next step may go.</summary>
public sealed record AudienceStepResult(AudienceStepOutcome Outcome, AudienceOperation Run, AudienceState Audience, TimeSpan Delay);

public enum AudienceStepOutcome
{
    /// <summary>Nothing was left to send: the run moved to its next phase or finished.</summary>
    Moved,

    /// <summary>TikTok took the chunk: its members are to be stored.</summary>
    Accepted,

    /// <summary>TikTok is still processing the new audience: the same chunk goes again later.</summary>
    Waiting,

    /// <summary>TikTok refused the request itself: the run failed.</summary>
    Failed,

    /// <summary>An outage, throttling or a token problem: the same chunk goes again after a back-off.</summary>
    Retry,
}
