using TikTokAds.Runtime.Internal;

namespace TikTokAds.Runtime;

/// <summary>
/// Base class of every grain. One activation runs one call (a turn) at a time; timers run as turns too.
/// </summary>
public abstract class Grain
{
    private GrainActivation? _activation;

    internal GrainActivation Activation
    {
        get => _activation ?? throw new InvalidOperationException("The grain is not bound to an activation yet; use OnActivateAsync, not the constructor.");
        set => _activation = value;
    }

    protected GrainId GrainId => Activation.GrainId;

    /// <summary>The string key this grain was addressed by.</summary>
    protected string GrainKey => Activation.GrainId.Key;

    protected IGrainFactory GrainFactory => Activation.Runtime.GrainFactory;

    /// <summary>The id of the node this activation runs on.</summary>
    protected string NodeId => Activation.Runtime.NodeId;

    /// <summary>A process-unique id for this activation; a new activation of the same grain gets a new one.</summary>
    protected Guid ActivationId => Activation.ActivationId;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs as the last turn of the activation: flush here. Not called after a crash.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the runtime to deactivate this activation once the current turn ends.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>
    /// A timer of this activation. Each tick is queued as a turn, so it never overlaps a call; a tick is
    /// skipped while the previous one is still queued. Timers are not durable and do not keep the grain alive.
    /// </summary>
    protected IDisposable RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        => Activation.RegisterTimer(callback, dueTime, period);

    /// <summary>Registers (or reschedules) a durable reminder; the grain must implement <see cref="IRemindable"/>.</summary>
    protected Task RegisterOrUpdateReminderAsync(string reminderName, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken = default)
        => Activation.Runtime.Reminders.RegisterAsync(GrainId, reminderName, dueTime, period, cancellationToken);

    protected Task UnregisterReminderAsync(string reminderName, CancellationToken cancellationToken = default)
        => Activation.Runtime.Reminders.UnregisterAsync(GrainId, reminderName, cancellationToken);
}
