namespace TikTokAds.Grains;

/// <summary>
/// A grain timer that runs its callback once, at the earliest moment asked for: asking for a later moment
/// while one is armed changes nothing. The callback calls <see cref="Disarm"/> first, so the next
/// <see cref="Within"/> arms afresh; a grain that stops its work disarms it too.
/// </summary>
internal sealed class WakeUp(TimeProvider time, Func<TimeSpan, IDisposable> register)
{
    private IDisposable? _timer;
    private DateTimeOffset? _due;

    public void Within(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        var due = time.GetUtcNow() + delay;
        if (_timer is not null && _due <= due)
        {
            return;
        }
        _timer?.Dispose();
        _due = due;
        _timer = register(delay);
    }

    public void Disarm()
    {
        _timer?.Dispose();
        _timer = null;
        _due = null;
    }
}
