namespace TikTokAds.Grains.Events;

/// <summary>
/// A pixel's budget with TikTok: at most N requests in any sliding window (one second plus a margin, so
/// network jitter cannot squeeze N+1 sends into TikTok's second), at most M events per UTC day, and a
/// back-off after a throttle. Events over budget wait; nothing is dropped.
/// </summary>
public sealed class RateBudget(int requestsPerSecond, int eventsPerDay, TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMilliseconds(1100);

    private readonly Queue<DateTimeOffset> _recent = new();

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
        _recent.Enqueue(now);
        return true;
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
        if (_recent.Count >= RequestsPerSecond && _recent.Peek() + window > next)
        {
            next = _recent.Peek() + window;
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
        while (_recent.Count > 0 && now - _recent.Peek() >= window)
        {
            _recent.Dequeue();
        }
    }
}
