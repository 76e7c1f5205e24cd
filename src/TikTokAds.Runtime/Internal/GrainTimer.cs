namespace TikTokAds.Runtime.Internal;

/// <summary>A timer whose ticks are queued as turns of its activation, never more than one pending at a time.</summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly GrainActivation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private int _pending;
    private volatile bool _disposed;

    public GrainTimer(GrainActivation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        _activation = activation;
        _callback = callback;
        _timer = activation.Runtime.TimeProvider.CreateTimer(static state => ((GrainTimer)state!).OnTick(), this, dueTime, period);
    }

    private void OnTick()
    {
        if (_disposed || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }
        if (!_activation.TryEnqueue(new TickWorkItem(this)))
        {
            Volatile.Write(ref _pending, 0);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private sealed class TickWorkItem(GrainTimer timer) : WorkItem
    {
        public override async Task ExecuteAsync(GrainActivation activation)
        {
            try
            {
                if (!timer._disposed)
                {
                    await timer._callback(activation.Runtime.StoppingToken);
                }
            }
#pragma warning disable CA1031 // A failing tick is logged; the timer keeps running, as in Orleans.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RuntimeLog.TimerFailed(activation.Runtime.Logger, ex, activation.GrainId.ToString());
                if (ex is InconsistentStateException)
                {
                    activation.RequestDeactivation(DeactivationReason.WriteConflict);
                }
            }
            finally
            {
                Volatile.Write(ref timer._pending, 0);
            }
        }

        public override void Bounce() => Volatile.Write(ref timer._pending, 0);
    }
}
