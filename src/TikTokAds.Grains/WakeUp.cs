namespace TikTokAds.Grains;

/// <summary>
/// One grain timer that runs its callback once, at the earliest moment asked for: asking for a later moment
/// while one is armed changes nothing. The callback calls <see cref="Disarm"/> first, so the next
/// <see cref="Within"/> arms afresh. The timer is re-armed with Change, never disposed from inside its own
/// tick: Orleans cancels a tick's token when its timer is disposed.
/// </summary>
internal sealed class WakeUp(TimeProvider time, Func<IGrainTimer> create)
{
    private IGrainTimer? _timer;
    private DateTimeOffset? _due;

    public void Within(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        var due = time.GetUtcNow() + delay;
        if (_due <= due)
        {
            return;
        }
        _due = due;
        (_timer ??= create()).Change(delay, Timeout.InfiniteTimeSpan);
    }

    public void Disarm()
    {
        _due = null;
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
