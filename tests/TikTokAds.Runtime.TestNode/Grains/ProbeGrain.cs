using TikTokAds.Runtime.Storage;

namespace TikTokAds.Runtime.TestNode.Grains;

public sealed class ProbeGrain([PersistentState("probe")] IPersistentState<ProbeState> state, IGrainStorage storage) : Grain, IProbeGrain, IRemindable
{
    public Task<ProbeInfo> WhereAsync() => Task.FromResult(new ProbeInfo(GrainKey, NodeId, ActivationId));

    public async Task<ProbeState> SetValueAsync(long value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return state.State;
    }

    public Task<ProbeState> GetStateAsync() => Task.FromResult(state.State);

    public Task StartReminderAsync(TimeSpan period) => RegisterOrUpdateReminderAsync("probe", period, period);

    public async Task ReceiveReminderAsync(string reminderName, TickStatus status)
    {
        state.State.ReminderTicks++;
        await state.WriteStateAsync();
    }

    public async Task WriteWithStaleEtagAsync()
    {
        // Another writer moves the stored version on, as a stale duplicate activation would.
        await storage.WriteAsync(GrainId, "probe", "{\"value\":-1}", state.Etag, CancellationToken.None);
        state.State.Value++;
        await state.WriteStateAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        state.State.Deactivations.Add($"{NodeId}:{reason}");
        await state.WriteStateAsync(cancellationToken);
    }
}
