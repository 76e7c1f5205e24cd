using System.Text.Json.Nodes;

namespace TikTokAds.Sandbox.State;

/// <summary>
/// One event as the sandbox received it, with the request it came in. The event is kept as the UTF-8 JSON it
/// came as (<paramref name="Json"/>), with what the pixel statistics read from it taken out on receipt: a
/// benchmark's millions of events then cost the collector one array each rather than a tree of nodes.
/// </summary>
/// <param name="EventDay">The UTC day of its event_time.</param>
/// <param name="HasClickId">Whether user.ttclid holds a value (the sandbox's stand-in for an attributed event).</param>
public sealed record ReceivedEvent(
    string PixelCode,
    string Event,
    string? EventId,
    string EventSource,
    string? TestEventCode,
    string RequestId,
    DateTimeOffset ReceivedAt,
    bool Duplicate,
    byte[] Json,
    DateOnly EventDay,
    bool HasClickId)
{
    /// <summary>The event's JSON object, parsed anew on each read.</summary>
    public JsonObject Body => (JsonObject)JsonNode.Parse(Json)!;
}

/// <summary>One event/track/ request, accepted or not.</summary>
public sealed record TrackRequestRecord(string RequestId, string? PixelCode, int Events, int Code, string Message, DateTimeOffset ReceivedAt, string? TestEventCode);
