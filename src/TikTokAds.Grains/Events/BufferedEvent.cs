using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>An accepted event waiting in a pixel's buffer (and in pixel_events), in arrival order.</summary>
public sealed record BufferedEvent(long Seq, string EventName, string EventId, string EventSource, string? TestEventCode, TrackEventJson Payload, DateTimeOffset AcceptedAt);
