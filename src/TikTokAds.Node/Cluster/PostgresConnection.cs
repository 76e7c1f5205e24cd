using Microsoft.Extensions.Configuration;

namespace TikTokAds.Node.Cluster;

/// <summary>The connection string that switches a node from the embedded default to PostgreSQL and clustering.</summary>
public static class PostgresConnection
{
    /// <summary>ConnectionStrings:Postgres, or ConnectionStrings__Postgres in the environment.</summary>
    public const string Name = "Postgres";

    public static string? Of(IConfiguration configuration) => configuration.GetConnectionString(Name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
