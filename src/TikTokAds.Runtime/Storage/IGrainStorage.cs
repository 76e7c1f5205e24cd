namespace TikTokAds.Runtime.Storage;

/// <summary>Stores grain state as JSON with a version (ETag) for compare-and-swap writes.</summary>
public interface IGrainStorage
{
    Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes if the stored version equals <paramref name="expectedEtag"/> (null: nothing stored yet). Returns the new ETag.</summary>
    /// <exception cref="InconsistentStateException">The stored version differs.</exception>
    Task<string> WriteAsync(GrainId grainId, string stateName, string json, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Deletes the record if the stored version equals <paramref name="expectedEtag"/>.</summary>
    Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken);
}

public sealed record StoredState(string Json, string Etag);
