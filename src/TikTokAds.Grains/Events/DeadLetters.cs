using TikTokAds.Contracts.Events;

namespace TikTokAds.Grains.Events;

/// <summary>
/// What may be replayed: a dead letter goes back to TikTok under its original event_id (so TikTok's 48-hour
/// deduplication guards against doubles), unless its event_time is older than TikTok accepts for its source.
/// </summary>
public static class DeadLetters
{
    public static DeadLetterView View(DeadLetter letter, bool includePayload) => new(
        letter.Seq, letter.EventId, letter.EventName, letter.EventSource, letter.Code, letter.Message, letter.RequestId,
        letter.AcceptedAt, letter.FailedAt, letter.EventTime, letter.Attempts, letter.Replays,
        includePayload ? letter.Payload.ToString() : null);

    public static (IReadOnlyList<DeadLetter> Replayable, IReadOnlyList<ReplayRefusal> Refused) Sort(IReadOnlyList<DeadLetter> letters, ReplayRequest request, DateTimeOffset now)
    {
        var replayable = new List<DeadLetter>();
        var refused = new List<ReplayRefusal>();
        foreach (var letter in letters)
        {
            if (TooOld(letter, request, now) is { } reason)
            {
                refused.Add(new ReplayRefusal(letter.EventId, letter.EventName, reason));
            }
            else
            {
                replayable.Add(letter);
            }
        }
        return (replayable, refused);
    }

    /// <summary>Names the selected event ids that were not (or are no longer) dead letters: delivered, waiting, replayed or purged.</summary>
    public static ReplayResult Result(DeadLetterQuery selection, IReadOnlyList<DeadLetter> letters, IReadOnlyList<BufferedEvent> revived, IReadOnlyList<ReplayRefusal> refused)
    {
        var found = letters.Select(l => l.EventId).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<string> notFound = selection.EventIds is { } ids ? [.. ids.Where(id => !found.Contains(id)).Distinct(StringComparer.Ordinal)] : [];
        return new ReplayResult([.. revived.Select(e => e.EventId)], refused, notFound);
    }

    private static string? TooOld(DeadLetter letter, ReplayRequest request, DateTimeOffset now)
    {
        var offline = letter.EventSource is "offline" or "crm";
        var limit = offline ? request.MaxOfflineEventAge : request.MaxWebEventAge;
        var age = now - letter.EventTime;
        return age <= limit
            ? null
            : $"event_time {letter.EventTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is {age.TotalDays:0.#} days old; TikTok takes {letter.EventSource} events up to {limit.TotalDays:0.#} days old, so a replay would be refused.";
    }
}
