using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Organizers;

public sealed record OrganizerDirectoryState
{
    public IReadOnlyList<OrganizerInfo> Organizers { get; init; } = [];
}

public sealed class OrganizerDirectoryGrain([PersistentState("directory", GrainStorage.Name)] IPersistentState<OrganizerDirectoryState> state) : Grain, IOrganizerDirectoryGrain
{
    public async Task AddAsync(OrganizerInfo organizer, CancellationToken cancellationToken)
    {
        if (state.State.Organizers.All(o => o.Id != organizer.Id))
        {
            await state.WriteAsync(state.State with { Organizers = [.. state.State.Organizers, organizer] }, cancellationToken);
        }
    }

    public Task<IReadOnlyList<OrganizerInfo>> ListAsync() => Task.FromResult(state.State.Organizers);
}
