using TikTokAds.Runtime.Membership;

namespace TikTokAds.Runtime.Tests.Unit;

public sealed class RendezvousPlacementTests
{
    private static readonly ClusterNode[] Nodes =
    [
        new("node-a", "http://127.0.0.1:1", DateTimeOffset.UnixEpoch),
        new("node-b", "http://127.0.0.1:2", DateTimeOffset.UnixEpoch),
        new("node-c", "http://127.0.0.1:3", DateTimeOffset.UnixEpoch),
    ];

    private static GrainId Key(int i) => new("pixel", $"pixel-{i}");

    [Fact]
    public void Every_node_computes_the_same_owner_whatever_the_order_of_its_view()
    {
        var reversed = Nodes.Reverse().ToArray();
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(RendezvousPlacement.SelectOwner(Key(i), Nodes)!.NodeId, RendezvousPlacement.SelectOwner(Key(i), reversed)!.NodeId);
        }
    }

    [Fact]
    public void Keys_spread_over_all_nodes()
    {
        var counts = Enumerable.Range(0, 3000).GroupBy(i => RendezvousPlacement.SelectOwner(Key(i), Nodes)!.NodeId).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 800, 1200));
    }

    [Fact]
    public void Removing_a_node_moves_only_the_keys_it_owned()
    {
        var survivors = Nodes.Where(n => n.NodeId != "node-b").ToArray();
        for (var i = 0; i < 1000; i++)
        {
            var before = RendezvousPlacement.SelectOwner(Key(i), Nodes)!.NodeId;
            var after = RendezvousPlacement.SelectOwner(Key(i), survivors)!.NodeId;
            if (before != "node-b")
            {
                Assert.Equal(before, after);
            }
        }
    }

    [Fact]
    public void An_excluded_node_owns_nothing_and_an_empty_view_has_no_owner()
    {
        Assert.All(Enumerable.Range(0, 200), i => Assert.NotEqual("node-a", RendezvousPlacement.SelectOwner(Key(i), Nodes, excludeNodeId: "node-a")!.NodeId));
        Assert.Null(RendezvousPlacement.SelectOwner(Key(1), []));
    }
}
