namespace TikTokAds.Runtime.Hosting;

/// <summary>The connection string that switches a node from the embedded default to PostgreSQL and clustering.</summary>
public static class PostgresConnection
{
    /// <summary>ConnectionStrings:Postgres, or ConnectionStrings__Postgres in the environment.</summary>
    public const string Name = "Postgres";
}
