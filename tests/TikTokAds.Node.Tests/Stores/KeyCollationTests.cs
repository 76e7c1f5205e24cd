using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TikTokAds.Node.Cluster;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Stores;

/// <summary>
/// The service's own tables key their identifiers by byte order (sql/0016): every text column that one of their
/// indexes names has collation "C", so an index comparison is a memcmp, not the C library's strcoll. A table or
/// index added later without it fails here.
/// </summary>
public sealed class KeyCollationTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("key_collation"));
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Every_indexed_text_column_of_the_services_tables_compares_bytes()
    {
        // Orleans' tables follow Orleans' own scripts' shape; schema_migrations is read once at start.
        var indexed = await ColumnsAsync("""
            SELECT DISTINCT t.relname || '.' || a.attname || ' ' || coalesce(co.collname, 'default')
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (i.indkey)
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE t.relnamespace = 'public'::regnamespace AND a.atttypid = 'text'::regtype
              AND t.relname NOT LIKE 'orleans%' AND t.relname <> 'schema_migrations'
            ORDER BY 1
            """);

        Assert.Contains("pixel_events.event_id C", indexed);
        Assert.Contains("audience_member_log.audience_key C", indexed);
        Assert.Contains("buyer_facts.organizer_id C", indexed);
        Assert.All(indexed, column => Assert.EndsWith(" C", column));
    }

    [Fact]
    public async Task A_key_column_takes_its_collation_over_a_parameters_so_lookups_keep_their_index()
    {
        await using (var insert = _dataSource.CreateCommand("INSERT INTO pixel_pending (pixel_key, seq) SELECT 'org/pixel_' || i, i FROM generate_series(1, 2000) AS i"))
        {
            await insert.ExecuteNonQueryAsync();
        }
        await using (var analyze = _dataSource.CreateCommand("ANALYZE pixel_pending"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        // A text parameter carries the database's default collation; the column's explicit "C" wins, which is the
        // index's, so the plan is an index lookup and no collation conflict is raised.
        var plan = await ColumnsAsync("EXPLAIN (COSTS OFF) SELECT seq FROM pixel_pending WHERE pixel_key = $1 AND seq = 7", "org/pixel_7");
        Assert.Contains(plan, line => line.Contains("pixel_pending_pkey", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
    }

    private async Task<List<string>> ColumnsAsync(string sql, string? parameter = null)
    {
        await using var command = _dataSource.CreateCommand(sql);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
