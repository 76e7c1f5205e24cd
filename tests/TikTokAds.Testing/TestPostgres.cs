using Npgsql;

namespace TikTokAds.Testing;

/// <summary>
/// The PostgreSQL that scripts/test.sh starts. Tests that claim persistence or clustering need it and
/// fail loudly without it: skipping would let them pass without testing anything.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "TIKTOKADS_TEST_POSTGRES";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the suite with scripts/test.sh, which starts a private PostgreSQL.");

    /// <summary>Creates an empty database of its own for one fixture and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var dataSource = NpgsqlDataSource.Create(ServerConnectionString))
        await using (var command = dataSource.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }
}
