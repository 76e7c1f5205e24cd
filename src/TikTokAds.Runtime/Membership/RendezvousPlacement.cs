namespace TikTokAds.Runtime.Membership;

/// <summary>
/// Highest-random-weight placement: each grain goes to the node with the highest hash of (node, grain).
/// Every node computes the same owner from the same view, and a membership change moves only the
/// grains of the nodes that came or went.
/// </summary>
public static class RendezvousPlacement
{
    public static ClusterNode? SelectOwner(GrainId grainId, IReadOnlyList<ClusterNode> nodes, string? excludeNodeId = null)
    {
        ClusterNode? owner = null;
        ulong best = 0;
        var grainHash = Hash(Hash(FnvOffset, grainId.Type), grainId.Key);
        foreach (var node in nodes)
        {
            if (node.NodeId == excludeNodeId)
            {
                continue;
            }
            var score = Mix(Hash(grainHash, node.NodeId));
            if (owner is null || score > best)
            {
                owner = node;
                best = score;
            }
        }
        return owner;
    }

    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    // FNV-1a over UTF-16 code units: stable across processes and platforms, unlike string.GetHashCode.
    private static ulong Hash(ulong seed, string value)
    {
        var hash = seed;
        foreach (var c in value)
        {
            hash = (hash ^ c) * FnvPrime;
        }
        return (hash ^ 0xFF) * FnvPrime;
    }

    // SplitMix64 finaliser: spreads FNV's weak low bits so scores compare fairly.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
