using TikTokAds.Runtime;

namespace TikTokAds.Contracts.Organizers;

/// <summary>The list of organizers, for operators. One instance: key <see cref="Key"/>.</summary>
public interface IOrganizerDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    Task AddAsync(OrganizerInfo organizer);

    Task<IReadOnlyList<OrganizerInfo>> ListAsync();
}
