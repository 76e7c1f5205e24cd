using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>A failed pixel_events row as the store keeps it.</summary>
public sealed record DeadLetter(
    long Seq,
    string EventName,
    string EventId,
    string EventSource,
    string? TestEventCode,
    int Code,
    string Message,
    string? RequestId,
    DateTimeOffset AcceptedAt,
    DateTimeOffset FailedAt,
    int Attempts,
    int Replays,
    TrackEventJson Payload)
{
    public DateTimeOffset EventTime => DateTimeOffset.FromUnixTimeSeconds(Payload.EventTime);
}

/// <summary>One request sent to TikTok: which rows it carried (so its body can be rebuilt) and TikTok's answer.</summary>
public sealed record SentRequest(
    long Id,
    DateTimeOffset SentAt,
    string Outcome,
    int Code,
    string Message,
    string? RequestId,
    double LatencyMs,
    IReadOnlyList<string> EventNames,
    string EventSource,
    string? TestEventCode,
    string? PartnerName,
    IReadOnlyList<long> Seqs)
{
    public static string OutcomeName(TikTokOutcome outcome) => outcome switch
    {
        TikTokOutcome.Success => "success",
        TikTokOutcome.Throttled => "throttled",
        TikTokOutcome.InvalidRequest => "invalid_request",
        TikTokOutcome.Authorization => "authorization",
        _ => "transient",
    };

    public static readonly IReadOnlySet<string> Outcomes = new HashSet<string>(StringComparer.Ordinal) { "success", "throttled", "invalid_request", "authorization", "transient" };
}

/// <summary>What the store knows about a pixel for its organizer's alerts.</summary>
public sealed class RequestSignals
{
    /// <summary>Requests sent since the window's start, counted by outcome.</summary>
    public Dictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>Events TikTok confirmed since the history's start, by UTC hour sent.</summary>
    public Dictionary<DateTimeOffset, long> DeliveredByHour { get; } = [];

    /// <summary>Whether any event of the pixel waits to be sent.</summary>
    public bool Waiting { get; set; }
}
