using Npgsql;
using TikTokAds.Testing;
using static TikTokAds.Runtime.Tests.Cluster.TestCluster;

namespace TikTokAds.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task A_database_outage_longer_than_the_death_timeout_kills_no_node()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var keys = Enumerable.Range(0, 20).Select(i => $"outage-{i}").ToArray();
        await ForAllAsync(keys, key => SetValueAsync(cluster.Nodes[0], key, 7));
        var database = new NpgsqlConnectionStringBuilder(cluster.Postgres).Database!;
        await using var admin = NpgsqlDataSource.Create(TestPostgres.ServerConnectionString);

        await ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        await ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        await Task.Delay(TimeSpan.FromSeconds(12));
        await ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        await Task.Delay(TimeSpan.FromSeconds(12));

        Assert.All(cluster.Nodes, node => Assert.False(node.HasExited, node.Output));
        await using var db = NpgsqlDataSource.Create(cluster.Postgres);
        await using var command = db.CreateCommand("SELECT count(*) FROM cluster_members WHERE status = 'active'");
        Assert.Equal(2L, await command.ExecuteScalarAsync());
        var states = await ForAllAsync(keys, key => StateAsync(cluster.Nodes[1], key));
        Assert.All(states, state => Assert.Equal(7, state.Value));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
