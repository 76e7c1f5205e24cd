namespace TikTokAds.Testing;

/// <summary>Polling for something another process or thread will make true: a bound on waiting, not on speed.</summary>
public static class Eventually
{
    /// <summary>Reads until <paramref name="done"/> holds or <paramref name="timeout"/> (60 s) passes, and returns the last value read.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }
}
