using System.Collections.Concurrent;
using System.Globalization;

namespace TikTokAds.Runtime.Storage;

/// <summary>The embedded default: state lives as long as the process, with the same ETag rules as PostgreSQL.</summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(GrainId, string), StoredState> _records = new();
    private long _version;

    public Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
        => Task.FromResult(_records.TryGetValue((grainId, stateName), out var stored) ? stored : null);

    public Task<string> WriteAsync(GrainId grainId, string stateName, string json, string? expectedEtag, CancellationToken cancellationToken)
    {
        var key = (grainId, stateName);
        var next = new StoredState(json, Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture));
        if (expectedEtag is null)
        {
            if (!_records.TryAdd(key, next))
            {
                throw Conflict(grainId, stateName, expectedEtag);
            }
        }
        else if (!_records.TryGetValue(key, out var current) || current.Etag != expectedEtag || !_records.TryUpdate(key, next, current))
        {
            throw Conflict(grainId, stateName, expectedEtag);
        }
        return Task.FromResult(next.Etag);
    }

    public Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        var key = (grainId, stateName);
        if (expectedEtag is null)
        {
            return _records.ContainsKey(key) ? Task.FromException(Conflict(grainId, stateName, expectedEtag)) : Task.CompletedTask;
        }
        if (!_records.TryGetValue(key, out var current) || current.Etag != expectedEtag || !_records.TryRemove(new KeyValuePair<(GrainId, string), StoredState>(key, current)))
        {
            return Task.FromException(Conflict(grainId, stateName, expectedEtag));
        }
        return Task.CompletedTask;
    }

    internal static InconsistentStateException Conflict(GrainId grainId, string stateName, string? expectedEtag)
        => new($"State '{stateName}' of grain {grainId} was changed by another writer (expected ETag '{expectedEtag ?? "none"}').");
}
