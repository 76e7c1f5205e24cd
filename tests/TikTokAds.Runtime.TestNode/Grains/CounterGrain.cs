namespace TikTokAds.Runtime.TestNode.Grains;

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _count;
    private int _ticks;
    private IDisposable? _timer;

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

    public Task StartTickingAsync(TimeSpan period)
    {
        _timer = RegisterGrainTimer(async _ =>
        {
            _ticks++;
            await IncrementNonAtomicallyAsync();
        }, period, period);
        return Task.CompletedTask;
    }

    public Task<int> StopTickingAsync()
    {
        _timer?.Dispose();
        return Task.FromResult(_ticks);
    }
}
