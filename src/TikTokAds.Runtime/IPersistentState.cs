namespace TikTokAds.Runtime;

/// <summary>A grain's persistent state, read on activation and written with an ETag check.</summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }

    /// <summary>The version this activation last read or wrote; null when nothing is stored.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state if the stored version is still <see cref="Etag"/>.</summary>
    /// <exception cref="InconsistentStateException">Another writer got there first.</exception>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
