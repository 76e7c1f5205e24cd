namespace TikTokAds.Grains.Events;

/// <summary>
/// A pixel's budget with TikTok: at most N requests in any sliding window, at most M events per UTC day,
/// and a back-off after a throttle. Events over budget wait; nothing is dropped.
/// A request holds its slot from when it is taken, while it is in flight, and until a window after its answer came
/// back (<see cref="Answered"/>). TikTok saw the request at some moment before that answer, so the (N+1)th request
/// reaches TikTok at least a window after the first, however the network delays either one, and however many
/// requests are in flight at once. The window is a second plus a few milliseconds for clocks; no margin for network
/// jitter is needed.
/// </summary>
public sealed class RateBudget(int requestsPerSecond, int eventsPerDay, TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMilliseconds(1010);

    // Slots in the order they were taken; one in flight has no end yet and never expires.
    private readonly List<RequestSlot> _slots = [];

    public int RequestsPerSecond { get; } = requestsPerSecond;
    public int EventsPerDay { get; } = eventsPerDay;
    public DateOnly Day { get; private set; }
    public int SentToday { get; private set; }
    public DateTimeOffset? BackoffUntil { get; private set; }

    /// <summary>Continues a day's count after a restart.</summary>
    public void Restore(DateOnly day, int sentToday, DateTimeOffset? backoffUntil)
    {
        Day = day;
        SentToday = sentToday;
        BackoffUntil = backoffUntil;
    }

    public int EventsLeftToday(DateTimeOffset now)
    {
        Roll(now);
        return Math.Max(0, EventsPerDay - SentToday);
    }

    /// <summary>Takes a request slot if one is free now: null when the window is full or a back-off runs.</summary>
    public RequestSlot? TryTakeRequest(DateTimeOffset now)
    {
        if (BackoffUntil is { } until && now < until)
        {
            return null;
        }
        Prune(now);
        if (_slots.Count >= RequestsPerSecond)
        {
            return null;
        }
        var slot = new RequestSlot(now);
        _slots.Add(slot);
        return slot;
    }

    public void RecordSent(int events, DateTimeOffset now)
    {
        Roll(now);
        SentToday += events;
    }

    public void BackOff(DateTimeOffset until) => BackoffUntil = BackoffUntil is { } current && current > until ? current : until;

    /// <summary>When sending can resume: now, when a request slot frees, when a back-off ends, or at the next UTC midnight.</summary>
    public DateTimeOffset NextSendTime(DateTimeOffset now)
    {
        Roll(now);
        var next = now;
        if (SentToday >= EventsPerDay)
        {
            next = new DateTimeOffset(Day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (BackoffUntil is { } until && until > next)
        {
            next = until;
        }
        Prune(now);
        if (_slots.Count >= RequestsPerSecond)
        {
            // The earliest answered slot frees first; with every slot in flight, an answer must come back first,
            // and a window from now is the soonest that could free one.
            var frees = _slots.Where(s => s.AnsweredAt is not null).Select(s => s.AnsweredAt!.Value + window).DefaultIfEmpty(now + window).Min();
            if (frees > next)
            {
                next = frees;
            }
        }
        return next;
    }

    private void Roll(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today != Day)
        {
            Day = today;
            SentToday = 0;
        }
    }

    private void Prune(DateTimeOffset now) => _slots.RemoveAll(s => s.AnsweredAt is { } answered && now - answered >= window);
}

/// <summary>One request's hold on a pixel's budget: taken when the request was about to go, ended by its answer.</summary>
public sealed class RequestSlot(DateTimeOffset takenAt)
{
    public DateTimeOffset TakenAt { get; } = takenAt;

    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>
    /// The request's answer came back (or it failed): the slot ends a window from now. An answer cannot have come
    /// before the request went, so the later of the two counts.
    /// </summary>
    public void Answered(DateTimeOffset now) => AnsweredAt = now > TakenAt ? now : TakenAt;
}
