namespace TikTokAds.Runtime.Membership;

/// <summary>The live nodes, ordered by id, as last read from membership.</summary>
public sealed record ClusterView(long Version, IReadOnlyList<ClusterNode> Nodes)
{
    public bool SameMembers(ClusterView other)
        => Nodes.Count == other.Nodes.Count && Nodes.Zip(other.Nodes).All(p => p.First.NodeId == p.Second.NodeId && p.First.Address == p.Second.Address);
}
