using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Assurance;

/// <summary>
/// The match keys whose coverage is measured, and the weights of our estimated score. TikTok publishes
/// no weights: these are this service's own, documented in docs/ASSURANCE.md, and sum to 10. Identity
/// keys that name a person (email, phone) and the click id weigh most; event_id is for deduplication
/// and adds little to matching.
/// </summary>
public static class MatchKeys
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string ExternalId = "external_id";
    public const string Ttclid = "ttclid";
    public const string Ttp = "ttp";
    public const string IpAndUserAgent = "ip_user_agent";
    public const string EventId = "event_id";

    public static readonly IReadOnlyDictionary<string, double> Weights = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [Email] = 2.5,
        [Phone] = 2.0,
        [Ttclid] = 2.0,
        [ExternalId] = 1.0,
        [Ttp] = 1.0,
        [IpAndUserAgent] = 1.0,
        [EventId] = 0.5,
    };

    /// <summary>The counts of one event name; a key counts when its value is a non-empty string (both, for IP and user agent).</summary>
    public static MatchKeyCounts Count(string eventName, IEnumerable<TrackEvent> events)
    {
        long all = 0, email = 0, phone = 0, externalId = 0, ttclid = 0, ttp = 0, ipAndAgent = 0, eventId = 0;
        foreach (var e in events)
        {
            all++;
            var user = e.User;
            email += Has(user?.Email);
            phone += Has(user?.Phone);
            externalId += Has(user?.ExternalId);
            ttclid += Has(user?.Ttclid);
            ttp += Has(user?.Ttp);
            ipAndAgent += Has(user?.Ip) * Has(user?.UserAgent);
            eventId += Has(e.EventId);
        }
        return new MatchKeyCounts(eventName, all, email, phone, externalId, ttclid, ttp, ipAndAgent, eventId);
    }

    /// <summary>Each key's count in <paramref name="counts"/>, by key name.</summary>
    public static IReadOnlyDictionary<string, long> ByKey(MatchKeyCounts counts) => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        [Email] = counts.Email,
        [Phone] = counts.Phone,
        [ExternalId] = counts.ExternalId,
        [Ttclid] = counts.Ttclid,
        [Ttp] = counts.Ttp,
        [IpAndUserAgent] = counts.IpAndUserAgent,
        [EventId] = counts.EventId,
    };

    private static long Has(string? value) => string.IsNullOrEmpty(value) ? 0 : 1;
}
