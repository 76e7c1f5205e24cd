using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;
using static TikTokAds.Runtime.Tests.Cluster.TestCluster;

namespace TikTokAds.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class PlacementAndFailoverTests(ITestOutputHelper output)
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 300).Select(i => $"key-{i}")];

    [Fact]
    public async Task Calls_from_any_node_reach_one_activation_per_key_spread_over_all_nodes()
    {
        await using var cluster = await TestCluster.StartAsync(3);

        var answers = await ForAllAsync(Keys, async key => await Task.WhenAll(cluster.Nodes.Select(node => WhereAsync(node, key))));

        foreach (var perCaller in answers)
        {
            Assert.Single(perCaller.Select(a => a.ActivationId).Distinct());
            Assert.Single(perCaller.Select(a => a.NodeId).Distinct());
        }
        var perNode = answers.GroupBy(a => a[0].NodeId).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"keys per node: {string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}"))}");
        Assert.Equal(3, perNode.Count);
        Assert.All(perNode.Values, count => Assert.InRange(count, 50, 150));
    }

    [Fact]
    public async Task After_kill_9_every_key_answers_from_a_survivor_with_its_state_intact()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await ForAllAsync(Keys.Select((key, i) => (key, i)), item => SetValueAsync(cluster.Nodes[item.i % 3], item.key, item.i));
        var victim = cluster.Nodes[1];
        var victimId = await NodeIdAsync(victim);

        var clock = Stopwatch.StartNew();
        victim.Kill();
        var survivors = cluster.Live.ToList();
        var after = await ForAllAsync(Keys.Select((key, i) => (key, i)), async item =>
        {
            var via = survivors[item.i % survivors.Count];
            var state = await StateAsync(via, item.key);
            return (item.key, item.i, state, where: await WhereAsync(via, item.key), at: clock.Elapsed);
        }, parallelism: 100);
        var recovered = after.Max(a => a.at);
        output.WriteLine($"all 300 keys answered {recovered.TotalSeconds:0.0} s after kill -9");

        Assert.True(recovered < TimeSpan.FromSeconds(15), $"keys answered only after {recovered}");
        Assert.All(after, a => Assert.Equal(a.i, a.state.Value));
        Assert.All(after, a => Assert.NotEqual(victimId, a.where.NodeId));

        await cluster.WaitForViewAsync();
        var active = await Task.WhenAll(survivors.Select(ActivationsAsync));
        Assert.Empty(active[0].Intersect(active[1]));
        await using var db = NpgsqlDataSource.Create(cluster.Postgres);
        await using var command = db.CreateCommand("SELECT status FROM cluster_members WHERE node_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = victimId });
        Assert.Equal("dead", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_graceful_stop_runs_deactivate_hooks_and_hands_keys_to_the_others()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var placed = await ForAllAsync(Keys, key => WhereAsync(cluster.Nodes[0], key));
        var leaving = cluster.Nodes[2];
        var leavingId = await NodeIdAsync(leaving);
        var itsKeys = placed.Where(p => p.NodeId == leavingId).Select(p => p.Key).ToList();
        Assert.NotEmpty(itsKeys);

        await leaving.TerminateAsync();
        var survivors = cluster.Live.ToList();
        var states = await ForAllAsync(itsKeys, key => StateAsync(survivors[0], key));
        var moved = await ForAllAsync(itsKeys, key => WhereAsync(survivors[1], key));

        Assert.All(states, s => Assert.Contains($"{leavingId}:NodeShutdown", s.Deactivations));
        Assert.All(moved, m => Assert.NotEqual(leavingId, m.NodeId));
        Assert.Contains("left the cluster", leaving.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_declared_dead_by_the_cluster_stops_serving()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var doomed = cluster.Nodes[0];
        var doomedId = await NodeIdAsync(doomed);

        await using (var db = NpgsqlDataSource.Create(cluster.Postgres))
        await using (var command = db.CreateCommand("UPDATE cluster_members SET status = 'dead' WHERE node_id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = doomedId });
            await command.ExecuteNonQueryAsync();
        }
        var exited = await Task.WhenAny(Task.Run(async () => { while (!doomed.HasExited) { await Task.Delay(100); } }), Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.True(doomed.HasExited, "a node declared dead must stop serving and exit");
        Assert.Contains("was declared dead", doomed.Output, StringComparison.Ordinal);
        Assert.NotEqual(doomedId, (await WhereAsync(cluster.Nodes[1], "after-death")).NodeId);
        _ = exited;
    }
}
