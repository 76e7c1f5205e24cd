using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// What PostgreSQL itself does with the rows the node stores, written straight into the node's own
/// pixel_events (same table, same indexes) from this process: a binary COPY, and pgbench-style single-row
/// INSERT transactions.
/// <para>
/// The rows are the node's rows in the ways that decide PostgreSQL's cost. Their event_ids rise and all have the same
/// width, as the node's do in P1 and P3, so each window appends at the end of its key range; and a window keeps its
/// rows, as the node keeps its events. Until the eighteenth pass (docs/BENCHMARKS.md), ids were "copy_0" to
/// "copy_199999", so that most inserts split index pages in the middle of the range, and each baseline deleted its
/// rows and vacuumed: the next refilled those old pages. Together, after a checkpoint, nearly every row wrote a
/// full-page image (0.8-1.0 a row, 7-9 kB of WAL against 1.7-2.2 kB), the WAL's volume started 2-3 more checkpoints
/// in a 10 s COPY, and the baseline ran at about half its speed.
/// </para>
/// </summary>
internal static class PostgresBaselines
{
    /// <summary>A stored event as the node writes it: hashed user data, contents, page and user agent.</summary>
    private const string Payload = """
        {"event":"CompletePayment","event_time":1795300000,"event_id":"purchase_1","user":{"email":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","phone":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","external_id":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","ttclid":"E.C.P.1","ip":"203.0.113.9","user_agent":"Mozilla/5.0 (bench)"},"properties":{"contents":[{"content_id":"ticket-ga","price":59.9,"quantity":1}],"content_type":"product","currency":"RON","value":59.9},"page":{"url":"https://tickets.example/checkout?ttclid=E.C.P.1"}}
        """;

    private const string PixelKey = "org_baseline/BASELINE";

    /// <summary>Numbers each baseline window, the first part of its rows' event_ids.</summary>
    private static int s_window;

    /// <summary>"copy_001000000042": rising within a window and from one window to the next, always the same width.</summary>
    private static string EventId(string prefix, int window, long row) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}_{window:D3}{row:D9}");

    /// <summary>
    /// Rows per second of one binary COPY of <paramref name="rows"/> rows, and the CPU each party spent on it (the node
    /// <paramref name="nodeProcessId"/>, when given, may still be delivering a backlog meanwhile).
    /// </summary>
    public static async Task<(double Rate, CpuUse Cpu)> CopyAsync(string connectionString, int rows, string table = "pixel_events", int nodeProcessId = 0)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var now = DateTimeOffset.UtcNow;
        var window = Interlocked.Increment(ref s_window);
        var meter = CpuMeter.Start(nodeProcessId);
        var clock = Stopwatch.StartNew();
        await using (var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table} (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < rows; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(PixelKey, NpgsqlDbType.Text);
                await importer.WriteAsync("CompletePayment", NpgsqlDbType.Text);
                await importer.WriteAsync(EventId("copy", window, i), NpgsqlDbType.Text);
                await importer.WriteAsync("web", NpgsqlDbType.Text);
                await importer.WriteAsync(Payload, NpgsqlDbType.Jsonb);
                await importer.WriteAsync("accepted", NpgsqlDbType.Text);
                await importer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await importer.CompleteAsync();
        }
        var rate = rows / clock.Elapsed.TotalSeconds;
        return (rate, meter.Stop());
    }

    /// <summary>
    /// Transactions per second of <paramref name="concurrency"/> connections, each inserting one row per
    /// transaction (autocommit, prepared), after a discarded warm-up; and the CPU each party spent in the measured part.
    /// </summary>
    public static async Task<(LoadResult Load, CpuUse Cpu)> SingleRowInsertsAsync(string connectionString, int concurrency, TimeSpan warmUp, TimeSpan duration, int nodeProcessId = 0)
    {
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = concurrency + 4 }.ConnectionString);
        var connections = new NpgsqlConnection[concurrency];
        var commands = new NpgsqlCommand[concurrency];
        for (var c = 0; c < concurrency; c++)
        {
            connections[c] = await dataSource.OpenConnectionAsync();
            commands[c] = new NpgsqlCommand(
                "INSERT INTO pixel_events (pixel_key, event_name, event_id, event_source, payload, status, accepted_at) VALUES ($1, 'CompletePayment', $2, 'web', $3, 'accepted', now())",
                connections[c]);
            commands[c].Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = PixelKey });
            commands[c].Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = "" });
            commands[c].Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = Payload });
            await commands[c].PrepareAsync();
        }
        var ids = 0L;
        var window = Interlocked.Increment(ref s_window);
        // Closed-loop worker i uses connection i % concurrency; the load driver's own warm-up burst runs more
        // operations than connections at once, so each connection takes one at a time.
        var turns = Enumerable.Range(0, concurrency).Select(_ => new SemaphoreSlim(1)).ToArray();
        async Task<int> Insert(int worker)
        {
            var slot = worker % concurrency;
            await turns[slot].WaitAsync();
            try
            {
                commands[slot].Parameters[1].Value = EventId("insert", window, Interlocked.Increment(ref ids));
                return await commands[slot].ExecuteNonQueryAsync();
            }
            finally
            {
                turns[slot].Release();
            }
        }
        await Load.RunAsync(warmUp, concurrency, Insert);
        var (result, cpu) = await CpuMeter.RunAsync(nodeProcessId, duration, concurrency, Insert);
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
        return (result, cpu);
    }
}
