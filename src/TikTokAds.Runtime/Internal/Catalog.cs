using System.Collections.Concurrent;

namespace TikTokAds.Runtime.Internal;

/// <summary>The activations living on this node, by grain id.</summary>
internal sealed class Catalog(GrainRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();

    public int Count => _activations.Count;

    public IEnumerable<GrainActivation> Activations => _activations.Values;

    public GrainActivation GetOrCreate(GrainTypeInfo type, GrainId grainId)
    {
        if (_activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }
        var created = new GrainActivation(runtime, type, grainId);
        var winner = _activations.GetOrAdd(grainId, created);
        if (ReferenceEquals(winner, created))
        {
            created.Start();
        }
        return winner;
    }

    public void Remove(GrainActivation activation)
        => _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.GrainId, activation));

    /// <summary>Deactivates every activation the predicate selects and waits for them to finish.</summary>
    public Task DeactivateAsync(Func<GrainActivation, bool> predicate, DeactivationReason reason)
    {
        var selected = _activations.Values.Where(predicate).ToList();
        foreach (var activation in selected)
        {
            activation.RequestDeactivation(reason);
        }
        return Task.WhenAll(selected.Select(a => a.Deactivated));
    }
}
