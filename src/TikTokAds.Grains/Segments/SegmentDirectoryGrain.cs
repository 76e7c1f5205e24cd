using TikTokAds.Contracts.Segments;

namespace TikTokAds.Grains.Segments;

public sealed record SegmentDirectoryState
{
    public IReadOnlyList<string> SegmentIds { get; init; } = [];
}

public sealed class SegmentDirectoryGrain([PersistentState("segments", GrainStorage.Name)] IPersistentState<SegmentDirectoryState> state) : Grain, ISegmentDirectoryGrain
{
    public async Task AddAsync(string segmentId, CancellationToken cancellationToken = default)
    {
        if (!state.State.SegmentIds.Contains(segmentId))
        {
            state.State = state.State with { SegmentIds = [.. state.State.SegmentIds, segmentId] };
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task RemoveAsync(string segmentId, CancellationToken cancellationToken = default)
    {
        if (state.State.SegmentIds.Contains(segmentId))
        {
            state.State = state.State with { SegmentIds = [.. state.State.SegmentIds.Where(s => s != segmentId)] };
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult(state.State.SegmentIds);
}
