using System.Diagnostics;

namespace TikTokAds.Runtime.Internal;

/// <summary>A grain method call. Its completion carries the result, the grain's exception, or a bounce.</summary>
internal sealed class CallWorkItem(GrainMethod method, object?[] arguments) : WorkItem
{
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _enqueuedAt = Stopwatch.GetTimestamp();

    // The caller's trace: the turn runs under it, so logs inside the grain share the caller's trace id.
    private readonly Activity? _caller = Activity.Current;

    public Task<object?> Completion => _completion.Task;

    public override async Task ExecuteAsync(GrainActivation activation)
    {
        Activity.Current = _caller;
        try
        {
            var result = await method.InvokeAsync(activation.Grain, arguments);
            activation.Runtime.Statistics.RecordCall(method, Stopwatch.GetElapsedTime(_enqueuedAt), failed: false);
            _completion.TrySetResult(result);
        }
#pragma warning disable CA1031 // The grain's exception belongs to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            activation.Runtime.Statistics.RecordCall(method, Stopwatch.GetElapsedTime(_enqueuedAt), failed: true);
            if (ex is InconsistentStateException)
            {
                // Another activation wrote this grain's state: this one is stale and must not serve more calls.
                activation.RequestDeactivation(DeactivationReason.WriteConflict);
            }
            _completion.TrySetException(ex);
        }
    }

    public override void Bounce() => _completion.TrySetException(new ActivationBouncedException());

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}

/// <summary>Internal signal: the call never ran on the activation it was queued on and should be dispatched again.</summary>
internal sealed class ActivationBouncedException : Exception
{
    public ActivationBouncedException() : base("The activation was deactivating; the call is dispatched again.") { }
    public ActivationBouncedException(string message) : base(message) { }
    public ActivationBouncedException(string message, Exception inner) : base(message, inner) { }
}
