using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using TikTokAds.Grains.Audiences;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// An audience's members in PostgreSQL, packed a chunk a row (sql/0018, <see cref="PostgresAudienceStore"/>) against
/// the row per member it replaced (the statements of ede7bfb, on a table shaped like sql/0005's and 0016's), in one
/// run on one connection each: storing chunks of 5,000, a REPLACE's first removal chunk, and what the packed log
/// adds: a count during a run (a replay), the rewrite at a run's end, and a count after it. Then a sync's run stored
/// as one value against the pieces it is stored in since sql/0020.
/// </summary>
internal static class MemberLogBenchmark
{
    private const int Chunk = 5_000;
    private const string Key = "org_bench/aud_members";

    private const string RowTable = """
        CREATE TABLE bench_member_rows (audience_key text COLLATE "C" NOT NULL, member text COLLATE "C" NOT NULL, PRIMARY KEY (audience_key, member))
        """;

    private const string RowInsert = "INSERT INTO bench_member_rows (audience_key, member) SELECT $1, m FROM unnest($2::text[]) AS m ORDER BY m COLLATE \"C\" ON CONFLICT DO NOTHING";

    private const string RowExtras = """
        SELECT m.member FROM bench_member_rows m
        WHERE m.audience_key = $1 AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS k(member) WHERE k.member = m.member)
        LIMIT $3
        """;

    public static async Task<int> RunAsync(int members)
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("bench_members"));
        await ApplySchemaAsync(dataSource);
        var store = new PostgresAudienceStore(dataSource);
        var all = Enumerable.Range(0, members).Select(Email).ToArray();
        var chunks = all.Chunk(Chunk).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"member-log: {members:N0} members (EMAIL_SHA256) in chunks of {Chunk:N0}, one at a time; PostgreSQL and this process share the machine"));

        await ExecuteAsync(dataSource, "CHECKPOINT");
        var rows = await TimeAsync(async () =>
        {
            foreach (var chunk in chunks)
            {
                await ExecuteAsync(dataSource, RowInsert, Key, chunk);
            }
        });
        await ExecuteAsync(dataSource, "CHECKPOINT");
        // Each chunk committed with a run's progress, as an upload's are (one chunk a commit here). Since the forty-third
        // pass this side also pays the run's UPDATE and its check that the run exists, which the side before does not:
        // its figures are not directly comparable with the earlier passes' (docs/BENCHMARKS.md).
        var upload = await RunningAsync(store);
        var packed = await TimeAsync(async () =>
        {
            foreach (var chunk in chunks)
            {
                await store.CommitAsync(Key, upload, removes: false, [chunk], default);
            }
        });
        Print("store every chunk, row per member (before)", rows, members);
        Print("store every chunk, packed (after)", packed, members);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio packed ÷ row per member, members/s: {rows / packed:0.00}"));

        var keep = all.Skip(Chunk).ToHashSet(StringComparer.Ordinal);
        var keepArray = keep.ToArray();
        var rowExtras = await TimeAsync(() => ExecuteAsync(dataSource, RowExtras, Key, keepArray, Chunk));
        var packedExtras = await TimeAsync(() => store.MembersNotInAsync(Key, keep, Chunk, default));
        Print("a REPLACE's removal chunk (5,000 of them), row per member", rowExtras, 0);
        Print("a REPLACE's removal chunk (5,000 of them), packed: a replay", packedExtras, 0);

        var countDuring = await TimeAsync(() => store.CountMembersAsync(Key, default));
        var rewrite = await TimeAsync(() => FinishRunAsync(store));
        var countAfter = await TimeAsync(() => store.CountMembersAsync(Key, default));
        var rowCount = await TimeAsync(() => ExecuteAsync(dataSource, "SELECT count(*) FROM bench_member_rows WHERE audience_key = $1", Key));
        Print("count during a run, packed: a replay", countDuring, 0);
        Print("the run's end: the log rewritten as one row", rewrite, 0);
        Print("count after the run, packed: one row's size", countAfter, 0);
        Print("count, row per member", rowCount, 0);

        var more = Enumerable.Range(members, Chunk).Select(Email).ToArray();
        await store.CommitAsync(Key, await RunningAsync(store), removes: false, [more], default);
        var small = await TimeAsync(() => FinishRunAsync(store));
        Print($"the end of a {Chunk:N0}-member run on this audience: rewrite", small, 0);
        var count = await store.CountMembersAsync(Key, default);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  held after: {count:N0} (expected {members + Chunk:N0})"));
        await RunStoreAsync(dataSource, Math.Min(members, 100_000));
        return count == members + Chunk ? 0 : 1;
    }

    /// <summary>
    /// A sync's run stored before its 202: its packed rows as one value (the statement of fcebacf) against the store's
    /// pieces (sql/0020), alternating, each side's median of eleven. The run is <paramref name="rows"/> digests, at most
    /// the 100,000 a sync may carry by default. Measured twice: on one pooled backend that stores run after run, and on
    /// a new backend each time (its connection opened inside the time, on both sides), as a sync's store lands on
    /// whichever pooled backend is free, one that has seldom held megabytes before.
    /// </summary>
    private static async Task RunStoreAsync(NpgsqlDataSource dataSource, int rows)
    {
        var packed = new byte[rows * PackedRows.Width(1)];
        RandomNumberGenerator.Fill(packed);
        for (var row = 0; row < rows; row++)
        {
            packed[row * PackedRows.Width(1)] = 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run store: a sync's {rows:N0} rows ({packed.Length / 1e6:0.0} MB packed), stored before its 202; 11 alternating pairs, medians"));
        await RunStoreRoundsAsync(dataSource, packed, rows, "one pooled backend");
        var unpooled = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { Pooling = false }.ConnectionString;
        await using var fresh = NpgsqlDataSource.Create(unpooled);
        await RunStoreRoundsAsync(fresh, packed, rows, "a new backend each time");
    }

    private static async Task RunStoreRoundsAsync(NpgsqlDataSource dataSource, byte[] packed, int rows, string backends)
    {
        const string OneValue = """
            INSERT INTO audience_operations (audience_key, action, id_schema, rows, packed, trigger, total, valid, status, created_at)
            VALUES ($1, 'APPEND', $2, $3, $4, 'instant', $5, $5, 'pending', now())
            """;
        var store = new PostgresAudienceStore(dataSource);
        var one = new List<double>();
        var pieces = new List<double>();
        for (var round = 0; round < 12; round++)
        {
            var oneSeconds = await TimeAsync(() => ExecuteAsync(dataSource, OneValue, Key, new[] { "EMAIL_SHA256" }, Array.Empty<string>(), packed, rows));
            var piecesSeconds = await TimeAsync(() => store.EnqueueAsync(Key, "APPEND", ["EMAIL_SHA256"], [], packed, "instant", rows, rows, DateTimeOffset.UtcNow, default));
            // The first pair warms both statements up.
            if (round > 0)
            {
                one.Add(oneSeconds);
                pieces.Add(piecesSeconds);
            }
        }
        var oneMedian = one.Order().ElementAt(one.Count / 2);
        var piecesMedian = pieces.Order().ElementAt(pieces.Count / 2);
        Print($"{backends}: one value (before)", oneMedian, 0);
        Print($"{backends}: pieces of {PostgresAudienceStore.PieceRows:N0} rows, one COPY (after)", piecesMedian, 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio one value ÷ pieces, time: {oneMedian / piecesMedian:0.00} (each side's rounds: {string.Join(", ", one.Select(t => $"{t * 1e3:0}"))} | {string.Join(", ", pieces.Select(t => $"{t * 1e3:0}"))} ms)"));
    }

    private static string Email(int i) => $"EMAIL_SHA256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"fan{i}@example.com")))}";

    /// <summary>A run queued now, as the store holds it.</summary>
    private static async Task<AudienceOperation> QueuedAsync(PostgresAudienceStore store)
    {
        var id = await store.EnqueueAsync(Key, "APPEND", ["EMAIL_SHA256"], ["x"], null, "instant", 1, 1, DateTimeOffset.UtcNow, default);
        return (await store.OpenAsync(Key, default)).Single(o => o.OpId == id);
    }

    private static async Task<AudienceOperation> RunningAsync(PostgresAudienceStore store)
        => await QueuedAsync(store) with { Status = OperationStatuses.Running, StartedAt = DateTimeOffset.UtcNow };

    private static async Task FinishRunAsync(PostgresAudienceStore store)
        => await store.CommitAsync(Key, await QueuedAsync(store) with { Status = OperationStatuses.Done, FinishedAt = DateTimeOffset.UtcNow }, removes: false, [], default);

    /// <summary>The repository's sql/ scripts in order, as the node's migrator applies them, and the row-per-member table.</summary>
    private static async Task ApplySchemaAsync(NpgsqlDataSource dataSource)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TikTokAds.Orleans.sln")))
        {
            root = root.Parent;
        }
        foreach (var script in Directory.GetFiles(Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run from the repository."), "sql"), "*.sql").Order(StringComparer.Ordinal))
        {
            // Each in a transaction of its own, as the migrator applies them (0018 locks a table, which needs one).
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand(await File.ReadAllTextAsync(script), connection, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        await ExecuteAsync(dataSource, RowTable);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Print(string what, double seconds, int members)
        => Console.WriteLine(members > 0
            ? string.Create(CultureInfo.InvariantCulture, $"  {what,-64} {members / seconds,12:N0} members/s ({seconds * 1e6 / members:0.0} µs a member)")
            : string.Create(CultureInfo.InvariantCulture, $"  {what,-64} {seconds * 1e3,12:N1} ms"));
}
