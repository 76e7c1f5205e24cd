namespace TikTokAds.Orleans.Runtime.TestNode.Grains;

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _count;

    public async Task<int> IncrementNonAtomicallyAsync()
    {
        var read = _count;
        await Task.Yield();
        await Task.Delay(TimeSpan.FromTicks(1));
        _count = read + 1;
        return _count;
    }

    public Task<int> GetAsync() => Task.FromResult(_count);

    public Task<int> CallSelfAsync() => GrainFactory.GetGrain<ICounterGrain>(GrainKey).GetAsync();
}
