namespace TikTokAds.Contracts.Audiences;

/// <summary>
/// One custom audience of one organizer (key: "{organizerId}/{audienceId}"): its TikTok id, its queue of
/// sync runs (durable, applied in order, resumable), and its lookalikes. It may ask its organizer for
/// the advertiser's token; organizers never call audiences.
/// </summary>
public interface IAudienceGrain : IGrainWithStringKey
{
    Task<AudienceResult> CreateAsync(AudienceCreateRequest request);

    Task<AudienceView?> GetAsync();

    /// <summary>Queues a run: applied at once (instant) or at the daily sync hour (scheduled).</summary>
    Task<SyncResult> SyncAsync(AudienceSyncRequest request);

    Task<AudienceResult> CreateLookalikeAsync(LookalikeRequest request);

    Task<AudienceResult> DeleteAsync();
}

/// <summary>The audiences of one organizer, for listing (key: organizer id).</summary>
public interface IAudienceDirectoryGrain : IGrainWithStringKey
{
    Task AddAsync(string audienceId);

    Task RemoveAsync(string audienceId);

    Task<IReadOnlyList<string>> ListAsync();
}
