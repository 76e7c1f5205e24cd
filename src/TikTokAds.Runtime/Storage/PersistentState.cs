using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TikTokAds.Runtime.Storage;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: JSON through the configured resolvers, ETag-checked writes.</summary>
internal sealed class PersistentState<TState>(IGrainStorage storage, GrainId grainId, string stateName, JsonTypeInfo<TState> typeInfo)
    : IPersistentState<TState>, Internal.IStateHandle where TState : class, new()
{
    public TState State { get; set; } = new();
    public string? Etag { get; private set; }
    public bool RecordExists => Etag is not null;

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(grainId, stateName, cancellationToken);
        State = stored is null ? new TState() : JsonSerializer.Deserialize(stored.Json, typeInfo) ?? new TState();
        Etag = stored?.Etag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(State, typeInfo);
        Etag = await storage.WriteAsync(grainId, stateName, json, Etag, cancellationToken);
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await storage.ClearAsync(grainId, stateName, Etag, cancellationToken);
        State = new TState();
        Etag = null;
    }
}
