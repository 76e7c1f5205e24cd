namespace TikTokAds.Contracts.Audiences;

/// <summary>
/// One custom audience of one organizer (key: "{organizerId}/{audienceId}"): its TikTok id, its queue of
/// sync runs (durable, applied in order, resumable), and its lookalikes. It may ask its organizer for
/// the advertiser's token; organizers never call audiences.
/// </summary>
public interface IAudienceGrain : IGrainWithStringKey
{
    Task<AudienceResult> CreateAsync(AudienceCreateRequest request, CancellationToken cancellationToken = default);

    Task<AudienceView?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Queues a run: applied at once (instant) or at the daily sync hour (scheduled).</summary>
    Task<SyncResult> SyncAsync(AudienceSyncRequest request, CancellationToken cancellationToken = default);

    Task<AudienceResult> CreateLookalikeAsync(LookalikeRequest request, CancellationToken cancellationToken = default);

    Task<AudienceResult> DeleteAsync(CancellationToken cancellationToken = default);
}

/// <summary>The audiences of one organizer, for listing (key: organizer id).</summary>
public interface IAudienceDirectoryGrain : IGrainWithStringKey
{
    Task AddAsync(string audienceId, CancellationToken cancellationToken = default);

    Task RemoveAsync(string audienceId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListAsync();
}
