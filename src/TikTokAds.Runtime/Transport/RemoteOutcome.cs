namespace TikTokAds.Runtime.Transport;

internal enum RemoteOutcome
{
    /// <summary>The owner ran the call; the result (or the grain's exception) is final.</summary>
    Completed,

    /// <summary>The call did not run: the target does not own the grain, is stopping, or is a past incarnation.</summary>
    Misdirected,

    /// <summary>The call did not run: the target could not be reached.</summary>
    Unreachable,
}
