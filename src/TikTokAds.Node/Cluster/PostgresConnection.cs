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
    /// The node's one data source, shared by the stores and Orleans' providers. Unless the connection string sets
    /// "Max Auto Prepare" itself, Npgsql prepares the statements a connection runs often: the node runs a few dozen
    /// statements over and over, and PostgreSQL then plans each once per connection instead of on every call. In the
    /// P6 benchmark that took 16-21% off PostgreSQL's CPU per event (docs/BENCHMARKS.md, sixth pass).
    /// Unless it sets "No Reset On Close" itself, a connection going back to the pool is not reset either. The reset
    /// (SET SESSION AUTHORIZATION DEFAULT, RESET ALL, pg_advisory_unlock_all) undoes session state, and the node keeps
    /// none: no SET, no LISTEN, no temporary tables, and the schema's advisory lock is a transaction's. Every store
    /// write takes a pooled connection, so the reset ran once a write: three statements PostgreSQL parsed, planned
    /// and ran for nothing (docs/BENCHMARKS.md, sixteenth pass).
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Sets(given, "MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
        if (!Sets(given, "NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }
        return builder.Build();
    }

    private static bool Sets(DbConnectionStringBuilder given, string key)
        => given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(key, StringComparison.OrdinalIgnoreCase));
}
