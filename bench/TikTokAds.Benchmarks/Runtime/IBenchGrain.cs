using TikTokAds.Runtime;

namespace TikTokAds.Benchmarks.Runtime;

public interface IBenchGrain : IGrainWithStringKey
{
    Task<int> PingAsync(int value);
}

public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _calls;

    public Task<int> PingAsync(int value) => Task.FromResult(value + ++_calls);
}

/// <summary>The baseline: the same work as a plain async method, no runtime.</summary>
public sealed class PlainTarget
{
    private int _calls;

    public Task<int> PingAsync(int value) => Task.FromResult(value + Interlocked.Increment(ref _calls));
}
