namespace TikTokAds.Grains.Assurance;

/// <summary>Delivered, non-test events of one event name whose event_time falls on one UTC day.</summary>
public sealed record DeliveredCount(DateOnly Day, string EventName, long Count);

/// <summary>Stored events of one event name in a window, and how many carry each match key.</summary>
public sealed record MatchKeyCounts(string EventName, long Events, long Email, long Phone, long ExternalId, long Ttclid, long Ttp, long IpAndUserAgent, long EventId);
