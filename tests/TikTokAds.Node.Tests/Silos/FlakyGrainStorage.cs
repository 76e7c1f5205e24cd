using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Storage;
using TikTokAds.Grains;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>
/// Grain state in memory, as the JSON PostgreSQL stores, whose writes of one state name fail while told to (a storage
/// outage); it counts each grain's writes and shows what it stored.
/// </summary>
public sealed class FlakyGrainStorage : IGrainStorage
{
    private readonly JsonGrainStateSerializer _serializer = new();
    private readonly ConcurrentDictionary<(string, GrainId), (BinaryData Data, string ETag)> _stored = new();
    private readonly ConcurrentDictionary<(string, GrainId), int> _writes = new();
    private int _version;

    /// <summary>While set, every write of this state name (such as "lead-inbox") fails.</summary>
    public string? FailingWrites { get; set; }

    /// <summary>How many times the grain's state of this name was written.</summary>
    public int Writes(string stateName, GrainId grainId) => _writes.GetValueOrDefault((stateName, grainId));

    /// <summary>The grain's state of this name as it was last written, or null.</summary>
    public T? Stored<T>(string stateName, GrainId grainId)
        => _stored.TryGetValue((stateName, grainId), out var stored) ? _serializer.Deserialize<T>(stored.Data) : default;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_stored.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = _serializer.Deserialize<T>(stored.Data)!;
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName == FailingWrites)
        {
            throw new IOException($"Storage is down: {stateName} of {grainId} was not written.");
        }
        var etag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
        _stored[(stateName, grainId)] = (_serializer.Serialize(grainState.State), etag);
        _writes.AddOrUpdate((stateName, grainId), 1, (_, n) => n + 1);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _stored.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
