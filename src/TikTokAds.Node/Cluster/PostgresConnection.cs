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
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
        return builder.Build();
    }
}
