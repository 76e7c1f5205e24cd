namespace TikTokAds.Contracts.Segments;

/// <summary>
/// One segment of one organizer (key: "{organizerId}/{segmentId}"): its definition, the audience it is bound
/// to, and its runs. A run computes the segment from buyer facts and changes the audience by difference only,
/// through the audience's own durable pipeline.
/// </summary>
public interface ISegmentGrain : IGrainWithStringKey
{
    /// <summary>Creates (or, with <paramref name="create"/> false, replaces) the definition; an instant segment then runs.</summary>
    Task<SegmentResult> SaveAsync(SegmentDefinition definition, bool create, CancellationToken cancellationToken = default);

    Task<SegmentView?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts a run now (or returns the one under way).</summary>
    Task<SegmentResult> SyncAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the segment; its audience stays, with its members.</summary>
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);
}

/// <summary>The segments of one organizer, for listing (key: organizer id).</summary>
public interface ISegmentDirectoryGrain : IGrainWithStringKey
{
    Task AddAsync(string segmentId, CancellationToken cancellationToken = default);

    Task RemoveAsync(string segmentId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListAsync();
}

/// <summary>An organizer's buyer facts (key: organizer id): previews of a definition, and deleting them all.</summary>
public interface IBuyerDataGrain : IGrainWithStringKey
{
    Task<SegmentSize> PreviewAsync(SegmentDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Deletes every buyer fact of the organizer; the number of rows deleted.</summary>
    Task<long> DeleteAllAsync(CancellationToken cancellationToken = default);
}
