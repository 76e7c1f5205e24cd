using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace TikTokAds.Node.Cluster;

/// <summary>The connection string that switches a node from the embedded default to PostgreSQL and clustering.</summary>
public static class PostgresConnection
{
    /// <summary>ConnectionStrings:Postgres, or ConnectionStrings__Postgres in the environment.</summary>
    public const string Name = "Postgres";

    /// <summary>Statements each connection keeps prepared when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    public static string? Of(IConfiguration configuration) => configuration.GetConnectionString(Name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>
    /// The node's one data source, shared by the stores and Orleans' providers. Two settings apply unless the
    /// connection string names them itself:
    /// <list type="bullet">
    /// <item>"Max Auto Prepare": Npgsql prepares the statements a connection runs often. The node runs a few dozen
    /// statements over and over, and PostgreSQL then plans each once per connection instead of on every call. In the
    /// P6 benchmark that took 16-21% off PostgreSQL's CPU per event (docs/BENCHMARKS.md, sixth pass).</item>
    /// <item>"No Reset On Close": a connection going back to the pool is not reset (three statements prepended to its
    /// next command, 126,509 times each in a P6 run; seventh pass). No code of the node leaves session state behind:
    /// it sets no session settings, holds advisory locks only per transaction, and Npgsql still rolls back a
    /// transaction left open.</item>
    /// </list>
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
        if (!given.Contains("NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }
        return builder.Build();
    }
}
