using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TikTokAds.Node.Cluster;

/// <summary>
/// Applies the numbered scripts of sql/ (embedded in this assembly) that the database has not seen, in
/// order, in one transaction under an advisory lock, so nodes starting together apply each exactly once.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    private const long AdvisoryLockKey = 0x74_69_6B_74_6F_6B; // "tiktok"
    private const int MaxAttempts = 30;

    public static IReadOnlyList<(string Name, string Sql)> Migrations { get; } = LoadMigrations();

    /// <summary>
    /// Applies pending migrations, waiting up to about a minute for the database to come up; with
    /// <paramref name="before"/>, only those whose name sorts before it (a database as an older build left it).
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken, string? before = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyAsync(before, cancellationToken);
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < MaxAttempts)
            {
                ClusterLog.WaitingForDatabase(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<string>> ApplyAsync(string? before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = AdvisoryLockKey });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT name FROM schema_migrations", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        var newlyApplied = new List<string>();
        foreach (var (name, sql) in Migrations.Where(m => !applied.Contains(m.Name) && (before is null || string.CompareOrdinal(m.Name, before) < 0)))
        {
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var command = new NpgsqlCommand("INSERT INTO schema_migrations (name) VALUES ($1)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = name });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            newlyApplied.Add(name);
        }
        await transaction.CommitAsync(cancellationToken);
        foreach (var name in newlyApplied)
        {
            ClusterLog.MigrationApplied(logger, name);
        }
        return newlyApplied;
    }

    private static List<(string Name, string Sql)> LoadMigrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<(string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sql/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add((resource["sql/".Length..], reader.ReadToEnd()));
        }
        return migrations;
    }
}
