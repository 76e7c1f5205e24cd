using System.Threading.Channels;

namespace TikTokAds.Runtime.Internal;

/// <summary>
/// One live instance of a grain. A single loop reads the inbox, so exactly one turn runs at a time
/// (non-reentrant): a call that awaits I/O holds the activation until it completes.
/// </summary>
internal sealed class GrainActivation
{
    private readonly Channel<WorkItem> _inbox = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _timersLock = new();
    private readonly List<GrainTimer> _timers = [];
    private Grain? _grain;
    private DeactivationReason? _deactivationReason;
    private long _lastActive;
    private int _queued;

    public GrainActivation(GrainRuntime runtime, GrainTypeInfo type, GrainId grainId)
    {
        Runtime = runtime;
        Type = type;
        GrainId = grainId;
        _lastActive = runtime.TimeProvider.GetTimestamp();
    }

    public GrainRuntime Runtime { get; }
    public GrainTypeInfo Type { get; }
    public GrainId GrainId { get; }
    public Guid ActivationId { get; } = Guid.NewGuid();
    public Grain Grain => _grain ?? throw new InvalidOperationException($"Grain {GrainId} is not activated.");
    public Task Deactivated => _deactivated.Task;
    public bool IsDeactivating => _deactivationReason is not null;

    /// <summary>Nothing is queued or running, and nothing has been for <paramref name="idleFor"/>.</summary>
    public bool IsIdle(TimeSpan idleFor)
        => Volatile.Read(ref _queued) == 0 && Runtime.TimeProvider.GetElapsedTime(Volatile.Read(ref _lastActive)) >= idleFor;

    public void Start() => _ = Task.Run(RunAsync);

    public bool TryEnqueue(WorkItem item)
    {
        if (item is CallWorkItem)
        {
            Volatile.Write(ref _lastActive, Runtime.TimeProvider.GetTimestamp());
        }
        Interlocked.Increment(ref _queued);
        if (_inbox.Writer.TryWrite(item))
        {
            return true;
        }
        Interlocked.Decrement(ref _queued);
        return false;
    }

    /// <summary>Stops taking work; the turn in progress finishes, queued work bounces to the next activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_timersLock)
        {
            if (_deactivationReason is not null)
            {
                return;
            }
            _deactivationReason = reason;
        }
        _inbox.Writer.TryComplete();
    }

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period);
        lock (_timersLock)
        {
            _timers.Add(timer);
        }
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_timersLock)
        {
            _timers.Remove(timer);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            if (!await ActivateAsync())
            {
                return;
            }
            await foreach (var item in _inbox.Reader.ReadAllAsync())
            {
                if (_deactivationReason is not null)
                {
                    item.Bounce();
                }
                else
                {
                    await item.ExecuteAsync(this);
                }
                Interlocked.Decrement(ref _queued);
            }
            await DeactivateAsync(_deactivationReason ?? DeactivationReason.ApplicationRequested);
        }
        finally
        {
            Runtime.Catalog.Remove(this);
            _deactivated.TrySetResult();
        }
    }

    private async Task<bool> ActivateAsync()
    {
        try
        {
            _grain = Runtime.CreateGrain(this, out var states);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Runtime.StoppingToken);
            timeout.CancelAfter(Runtime.Options.CallTimeout);
            foreach (var state in states)
            {
                await state.ReadStateAsync(timeout.Token);
            }
            await _grain.OnActivateAsync(timeout.Token);
            Runtime.Statistics.ActivationCreated(Type.Name);
            return true;
        }
#pragma warning disable CA1031 // Every queued caller receives the activation failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RuntimeLog.ActivationFailed(Runtime.Logger, ex, GrainId.ToString());
            _deactivationReason = DeactivationReason.ActivationFailed;
            _inbox.Writer.TryComplete();
            while (_inbox.Reader.TryRead(out var item))
            {
                if (item is CallWorkItem call)
                {
                    call.Fail(ex);
                }
                else
                {
                    item.Bounce();
                }
            }
            return false;
        }
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        GrainTimer[] timers;
        lock (_timersLock)
        {
            timers = [.. _timers];
        }
        foreach (var timer in timers)
        {
            timer.Dispose();
        }
        try
        {
            using var timeout = new CancellationTokenSource(Runtime.Options.DeactivationTimeout);
            // A conflicting write proved this activation stale: its hook must not write again.
            if (reason != DeactivationReason.WriteConflict)
            {
                await Grain.OnDeactivateAsync(reason, timeout.Token);
            }
        }
#pragma warning disable CA1031 // A failing hook is logged; the activation goes away regardless.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RuntimeLog.DeactivationFailed(Runtime.Logger, ex, GrainId.ToString());
        }
        Runtime.Statistics.ActivationRemoved(Type.Name);
        RuntimeLog.Deactivated(Runtime.Logger, GrainId.ToString(), reason);
    }
}
