using Npgsql;
using TikTokAds.Node.Cluster;

namespace TikTokAds.Node.Tests.Silos;

public sealed class PostgresConnectionTests
{
    [Fact]
    public async Task The_node_prepares_its_frequent_statements_unless_the_connection_string_says_otherwise()
    {
        await using var defaulted = PostgresConnection.DataSource("Host=127.0.0.1;Database=tiktokads;Username=app");
        await using var off = PostgresConnection.DataSource("Host=127.0.0.1;Database=tiktokads;Username=app;Max Auto Prepare=0");
        await using var own = PostgresConnection.DataSource("Host=127.0.0.1;Database=tiktokads;Username=app;maxautoprepare=8");

        Assert.Equal(PostgresConnection.DefaultMaxAutoPrepare, new NpgsqlConnectionStringBuilder(defaulted.ConnectionString).MaxAutoPrepare);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(off.ConnectionString).MaxAutoPrepare);
        Assert.Equal(8, new NpgsqlConnectionStringBuilder(own.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public async Task The_node_does_not_reset_pooled_connections_unless_the_connection_string_says_so()
    {
        await using var defaulted = PostgresConnection.DataSource("Host=127.0.0.1;Database=tiktokads;Username=app");
        await using var reset = PostgresConnection.DataSource("Host=127.0.0.1;Database=tiktokads;Username=app;No Reset On Close=false");

        Assert.True(new NpgsqlConnectionStringBuilder(defaulted.ConnectionString).NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(reset.ConnectionString).NoResetOnClose);
    }
}
