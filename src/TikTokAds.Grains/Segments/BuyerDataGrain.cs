using TikTokAds.Contracts.Segments;

namespace TikTokAds.Grains.Segments;

/// <summary>An organizer's buyer facts, read or deleted; no state of its own, so any node may serve it.</summary>
[Orleans.Concurrency.StatelessWorker]
public sealed class BuyerDataGrain(IBuyerFactStore store, TimeProvider time) : Grain, IBuyerDataGrain
{
    public async Task<SegmentSize> PreviewAsync(SegmentDefinition definition, CancellationToken cancellationToken = default)
        => (await SegmentComputation.ComputeAsync(store, this.GetPrimaryKeyString(), definition, time.GetUtcNow(), cancellationToken)).Size;

    public Task<long> DeleteAllAsync(CancellationToken cancellationToken = default) => store.DeleteOrganizerAsync(this.GetPrimaryKeyString(), cancellationToken);
}
