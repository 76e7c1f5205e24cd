using Microsoft.Extensions.Configuration;

namespace TikTokAds.Runtime.Hosting;

/// <summary>Embedded (no database: one node, in-memory providers) or clustered on PostgreSQL.</summary>
internal sealed class RuntimeMode(IConfiguration configuration)
{
    public string? ConnectionString { get; } = configuration.GetConnectionString(PostgresConnection.Name) is { Length: > 0 } value ? value : null;

    public bool IsClustered => ConnectionString is not null;

    public string Name => IsClustered ? "postgres" : "embedded";
}
