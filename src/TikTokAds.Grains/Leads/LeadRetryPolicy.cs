using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// What one call-back attempt makes of a lead: forwarded (its answers dropped), failed for good after the last
/// allowed attempt or when the receiver's address was refused (kept, for a manual retry), or tried again after a
/// capped exponential backoff.
/// </summary>
public static class LeadRetryPolicy
{
    /// <summary>The outcomes, as counted in the metrics.</summary>
    public const string Forwarded = "forwarded";
    public const string Failed = "failed";
    public const string Retry = "retry";

    /// <param name="error">Null when the receiver took the lead.</param>
    /// <param name="jitter">A number in [0, 1); it stretches the delay by up to 20%.</param>
    /// <param name="addressRefused">
    /// The receiver's host resolved to an address call-backs may not reach: retrying would only repeat the refusal
    /// until the organizer fixes the URL or its DNS, so the lead fails now, saying why.
    /// </param>
    public static (LeadRecord Lead, string Outcome) Settle(LeadRecord lead, string? error, DateTimeOffset now, LeadOptions options, double jitter, bool addressRefused = false)
    {
        var attempt = lead.Attempts + 1;
        if (error is null)
        {
            // The receiver has the answers: they are no longer needed here.
            return (lead with { Status = LeadStatuses.Forwarded, Reason = null, Attempts = attempt, NextAttemptAt = null, ForwardedAt = now, LastError = null, ProtectedFields = null }, Forwarded);
        }
        if (addressRefused || attempt >= options.MaxAttempts)
        {
            var reason = addressRefused ? LeadReasons.CallbackAddressRefused : LeadReasons.CallbackFailed;
            return (lead with { Status = LeadStatuses.Failed, Reason = reason, Attempts = attempt, NextAttemptAt = null, LastError = error }, Failed);
        }
        return (lead with { Attempts = attempt, NextAttemptAt = now + Backoff(attempt, options.RetryBaseDelay, options.RetryMaxDelay, jitter), LastError = error }, Retry);
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: the base delay doubled per attempt, capped, then stretched by the jitter.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        var exponential = baseDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = exponential < maxDelay ? exponential : maxDelay;
        // Jitter, so many leads failing together do not retry in step.
        return capped * (1 + (jitter * 0.2));
    }
}
