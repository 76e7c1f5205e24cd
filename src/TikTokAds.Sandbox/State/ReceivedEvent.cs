using System.Text.Json.Nodes;

namespace TikTokAds.Sandbox.State;

/// <summary>One event as the sandbox received it, with the request it came in.</summary>
public sealed record ReceivedEvent(
    string PixelCode,
    string Event,
    string? EventId,
    string EventSource,
    string? TestEventCode,
    string RequestId,
    DateTimeOffset ReceivedAt,
    bool Duplicate,
    JsonObject Body);

/// <summary>One event/track/ request, accepted or not.</summary>
public sealed record TrackRequestRecord(string RequestId, string? PixelCode, int Events, int Code, string Message, DateTimeOffset ReceivedAt, string? TestEventCode);
