using TikTokAds.Contracts.Audiences;

namespace TikTokAds.Grains.Audiences;

public sealed record AudienceDirectoryState
{
    public IReadOnlyList<string> AudienceIds { get; init; } = [];
}

public sealed class AudienceDirectoryGrain([PersistentState("audiences", GrainStorage.Name)] IPersistentState<AudienceDirectoryState> state) : Grain, IAudienceDirectoryGrain
{
    public async Task AddAsync(string audienceId, CancellationToken cancellationToken = default)
    {
        if (!state.State.AudienceIds.Contains(audienceId))
        {
            state.State = state.State with { AudienceIds = [.. state.State.AudienceIds, audienceId] };
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task RemoveAsync(string audienceId, CancellationToken cancellationToken = default)
    {
        if (state.State.AudienceIds.Contains(audienceId))
        {
            state.State = state.State with { AudienceIds = [.. state.State.AudienceIds.Where(a => a != audienceId)] };
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult(state.State.AudienceIds);
}
