namespace TikTokAds.Sandbox.State;

/// <summary>A sliding one-second window per pixel: the (n+1)th request within any second is throttled.</summary>
public sealed class PixelRateLimiter(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<long>> _windows = new(StringComparer.Ordinal);

    public bool TryAcquire(string pixelCode, int perSecond)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_windows.TryGetValue(pixelCode, out var window))
            {
                _windows[pixelCode] = window = new Queue<long>();
            }
            while (window.Count > 0 && time.GetElapsedTime(window.Peek(), now) >= TimeSpan.FromSeconds(1))
            {
                window.Dequeue();
            }
            if (window.Count >= perSecond)
            {
                return false;
            }
            window.Enqueue(now);
            return true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _windows.Clear();
        }
    }
}
