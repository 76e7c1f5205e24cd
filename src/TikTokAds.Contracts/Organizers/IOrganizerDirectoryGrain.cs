namespace TikTokAds.Contracts.Organizers;

/// <summary>The list of organizers, for operators. One instance: key <see cref="Key"/>.</summary>
public interface IOrganizerDirectoryGrain : IGrainWithStringKey
{
    Task AddAsync(OrganizerInfo organizer, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OrganizerInfo>> ListAsync();
}
