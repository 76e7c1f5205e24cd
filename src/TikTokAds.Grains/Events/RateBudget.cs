namespace TikTokAds.Grains.Events;

/// <summary>
/// A pixel's budget with TikTok: at most N requests in any sliding window, at most M events per UTC day,
/// and a back-off after a throttle. Events over budget wait; nothing is dropped.
/// A request holds its slot from when it is taken until a window after its answer came back
/// (<see cref="Answered"/>). TikTok saw the request at some moment before that answer, so the (N+1)th
/// request reaches TikTok at least a window after the first, however the network delays either one.
/// The window is a second plus a few milliseconds for clocks; no margin for network jitter is needed.
/// </summary>
public sealed class RateBudget(int requestsPerSecond, int eventsPerDay, TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMilliseconds(1010);

    private readonly LinkedList<DateTimeOffset> _recent = new();

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

    /// <summary>Takes a request slot if one is free now.</summary>
    public bool TryTakeRequest(DateTimeOffset now)
    {
        if (BackoffUntil is { } until && now < until)
        {
            return false;
        }
        Prune(now);
        if (_recent.Count >= RequestsPerSecond)
        {
            return false;
        }
        _recent.AddLast(now);
        return true;
    }

    /// <summary>The answer to the request taken last came back (or it failed): its slot counts from now.</summary>
    public void Answered(DateTimeOffset now)
    {
        if (_recent.Last is { } last && last.Value < now)
        {
            last.Value = now;
        }
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
        if (_recent.Count >= RequestsPerSecond && _recent.First!.Value + window > next)
        {
            next = _recent.First.Value + window;
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

    private void Prune(DateTimeOffset now)
    {
        while (_recent.First is { } first && now - first.Value >= window)
        {
            _recent.RemoveFirst();
        }
    }
}
