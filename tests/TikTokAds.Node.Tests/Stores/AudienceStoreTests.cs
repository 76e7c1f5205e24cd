using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TikTokAds.Grains.Audiences;
using TikTokAds.Node.Cluster;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Stores;

/// <summary>
/// What an audience store holds of its members, the same in memory and in PostgreSQL: chunks stored with their
/// run's progress, by one run or by several side by side in any order, phases applied in order, each audience apart
/// from the others; none kept for a run that is gone.
/// </summary>
public abstract class AudienceStoreContract
{
    protected const string Key = "org_a/aud_1";
    protected static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    protected abstract IAudienceStore Store { get; }

    protected static string Email(int i) => $"EMAIL_SHA256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"fan{i}@example.com")))}";

    protected static string[] Emails(int from, int count) => [.. Enumerable.Range(from, count).Select(Email)];

    /// <summary>The audience's members, in byte order.</summary>
    private async Task<string[]> MembersAsync(string key = Key)
        => Sorted(await Store.MembersNotInAsync(key, new HashSet<string>(StringComparer.Ordinal), int.MaxValue, default));

    protected static string[] Sorted(IEnumerable<string> members) => [.. members.Order(StringComparer.Ordinal)];

    /// <summary>A chunk committed by a run of its own, left running (so its commit does not rewrite the log).</summary>
    protected async Task StoreChunkAsync(string key, bool removes, IReadOnlyCollection<string> members)
        => await Store.CommitAsync(key, await RunningAsync(1, key), removes, [members], default);

    protected Task AddAsync(string key, IReadOnlyCollection<string> members) => StoreChunkAsync(key, removes: false, members);

    protected Task RemoveAsync(string key, IReadOnlyCollection<string> members) => StoreChunkAsync(key, removes: true, members);

    protected async Task<AudienceOperation> FinishRunAsync(string key = Key)
    {
        var run = await QueuedAsync(1, key) with { Status = OperationStatuses.Done, FinishedAt = Now };
        await Store.CommitAsync(key, run, removes: false, [], default);
        return run;
    }

    [Fact]
    public async Task Chunks_stored_side_by_side_hold_their_union_each_member_once()
    {
        var chunks = Enumerable.Range(0, 8).Select(c => Emails(c * 300, 500)).ToList();

        await Task.WhenAll(chunks.Select(chunk => Task.Run(() => AddAsync(Key, chunk))));

        Assert.Equal(2_600, await Store.CountMembersAsync(Key, default));
        Assert.Equal(Sorted(Emails(0, 2_600)), await MembersAsync());
    }

    [Fact]
    public async Task Phases_apply_in_order_so_a_member_removed_then_added_again_is_held()
    {
        await AddAsync(Key, [Email(1), Email(2), "PHONE_SHA256:not-hex", Email(1)]);
        await RemoveAsync(Key, [Email(1), "PHONE_SHA256:not-hex", Email(99)]);
        await AddAsync(Key, [Email(1)]);

        Assert.Equal(2, await Store.CountMembersAsync(Key, default));
        Assert.Equal(Sorted([Email(1), Email(2)]), await MembersAsync());
    }

    /// <summary>A run queued now, as the store holds it.</summary>
    private async Task<AudienceOperation> QueuedAsync(int valid, string key)
    {
        var id = await Store.EnqueueAsync(key, "APPEND", ["EMAIL_SHA256"], ["x"], null, "instant", valid, valid, Now, default);
        return (await Store.OpenAsync(key, default)).Single(o => o.OpId == id);
    }

    /// <summary>A queued run, as a turn that starts it has it: running.</summary>
    protected async Task<AudienceOperation> RunningAsync(int valid, string key = Key)
        => await QueuedAsync(valid, key) with { Status = OperationStatuses.Running, StartedAt = Now };

    [Fact]
    public async Task Chunks_committed_with_their_run_are_held_beside_its_progress_and_outlast_its_end()
    {
        var run = await RunningAsync(30);

        await Store.CommitAsync(Key, run with { Progress = 20, Uploaded = 20 }, removes: false, [Emails(0, 10), Emails(5, 10)], default);
        var midway = ((await Store.OpenAsync(Key, default)).Single(), await Store.CountMembersAsync(Key, default));
        await Store.CommitAsync(Key, run with { Progress = 30, Uploaded = 30, Status = OperationStatuses.Done, FinishedAt = Now }, removes: true, [Emails(0, 3)], default);

        Assert.Equal((OperationStatuses.Running, 20, 20, 15L), (midway.Item1.Status, midway.Item1.Progress, midway.Item1.Uploaded, midway.Item2));
        Assert.Empty(await Store.OpenAsync(Key, default));
        Assert.Equal(Sorted(Emails(3, 12)), await MembersAsync());
    }

    [Fact]
    public async Task Removals_stored_side_by_side_each_take_their_own()
    {
        await AddAsync(Key, Emails(0, 1_000));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(c => Task.Run(() => RemoveAsync(Key, Emails(c * 200, 300)))));

        Assert.Equal(Sorted(Emails(900, 100)), await MembersAsync());
    }

    [Fact]
    public async Task Members_not_in_the_new_set_are_what_a_replace_removes_and_at_most_the_limit()
    {
        await AddAsync(Key, [.. Emails(0, 10), "OTHER:kept as text", "OTHER:dropped as text"]);
        var keep = new HashSet<string>([.. Emails(0, 4), "OTHER:kept as text"], StringComparer.Ordinal);

        var extras = await Store.MembersNotInAsync(Key, keep, 100, default);
        var firstThree = await Store.MembersNotInAsync(Key, keep, 3, default);

        Assert.Equal(Sorted([.. Emails(4, 6), "OTHER:dropped as text"]), Sorted(extras));
        Assert.Equal(3, firstThree.Count);
        Assert.Subset(extras.ToHashSet(), firstThree.ToHashSet());
        Assert.Equal(Sorted(extras), Sorted(await Store.MembersNotInAsync(Key, keep.ToFrozenKeep(), 100, default)));
    }

    [Fact]
    public async Task A_finished_run_leaves_the_members_as_they_were()
    {
        await AddAsync(Key, Emails(0, 3_000));
        await RemoveAsync(Key, Emails(0, 1_000));
        await AddAsync(Key, Emails(500, 100));

        await FinishRunAsync();
        await FinishRunAsync();

        Assert.Equal(2_100, await Store.CountMembersAsync(Key, default));
        Assert.Equal(Sorted([.. Emails(500, 100), .. Emails(1_000, 2_000)]), await MembersAsync());
        await RemoveAsync(Key, Emails(500, 100));
        Assert.Equal(2_000, await Store.CountMembersAsync(Key, default));
    }

    [Theory]
    [InlineData(1, 12_345)]
    [InlineData(2, 12_345)]
    [InlineData(2, 10_000)]
    [InlineData(1, 4_999)]
    [InlineData(1, 5_001)]
    public async Task A_runs_packed_rows_read_back_by_any_offset_and_count_are_the_rows_stored(int cells, int rows)
    {
        var width = PackedRows.Width(cells);
        var packed = new byte[rows * width];
        new Random(rows + cells).NextBytes(packed);
        for (var row = 0; row < rows; row++)
        {
            packed[row * width] = (byte)((1 << cells) - 1);
        }
        string[] schema = cells == 1 ? ["EMAIL_SHA256"] : ["EMAIL_SHA256", "PHONE_SHA256"];
        var id = await Store.EnqueueAsync(Key, "APPEND", schema, [], packed, "instant", rows, rows, Now, default);

        // Chunks as a run reads them, within a piece, across pieces, into and past the last one, none, and past the end.
        (int Offset, int Count)[] reads = [(0, 5_000), (5_000, 5_000), (10_000, 5_000), (4_990, 20), (4_999, 5_002), (rows - 345, 5_000), (rows - 1, 1), (0, 0), (rows, 10), (rows + 5_000, 5), (0, rows + 1)];
        foreach (var (offset, count) in reads)
        {
            var read = await Store.RowsAsync(id, offset, count, default);
            var from = Math.Min(rows, offset);
            var to = Math.Min(rows, offset + count);
            Assert.Equal(cells, read.Cells);
            Assert.Equal(to - from, read.Count);
            Assert.True(read.Packed.Span.SequenceEqual(packed.AsSpan((from * width)..(to * width))), $"rows {offset} + {count}");
        }
    }

    [Fact]
    public async Task Each_audience_holds_only_its_own_members_and_deleting_one_leaves_the_others()
    {
        await AddAsync(Key, Emails(0, 10));
        await AddAsync("org_b/aud_1", Emails(5, 10));
        await RemoveAsync("org_b/aud_1", Emails(0, 7));

        await Store.DeleteAudienceAsync(Key, default);

        Assert.Equal(0, await Store.CountMembersAsync(Key, default));
        Assert.Equal(Sorted(Emails(7, 8)), await MembersAsync("org_b/aud_1"));
    }

    [Fact]
    public async Task A_commit_whose_run_is_gone_keeps_none_of_its_members()
    {
        var run = await RunningAsync(20);
        await Store.CommitAsync(Key, run with { Progress = 10, Uploaded = 10 }, removes: false, [Emails(0, 10)], default);
        await Store.DeleteAudienceAsync(Key, default);

        await Store.CommitAsync(Key, run with { Progress = 20, Uploaded = 20 }, removes: false, [Emails(10, 10)], default);

        Assert.Equal(0, await Store.CountMembersAsync(Key, default));
        Assert.Empty(await Store.HistoryAsync(Key, 10, default));
    }
}

internal static class KeepSets
{
    /// <summary>A keep set that is not a HashSet, so the store compares each member's text form as a string.</summary>
    public static IReadOnlySet<string> ToFrozenKeep(this HashSet<string> keep) => System.Collections.Frozen.FrozenSet.ToFrozenSet(keep, StringComparer.Ordinal);
}

public sealed class InMemoryAudienceStoreTests : AudienceStoreContract
{
    protected override IAudienceStore Store { get; } = new InMemoryAudienceStore();
}

/// <summary>The contract on a real PostgreSQL, plus what the packed log (sql/0018) adds: rewrites, and rows moved from the older table.</summary>
public sealed class PostgresAudienceStoreTests : AudienceStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private IAudienceStore _store = null!;

    protected override IAudienceStore Store => _store;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("audience_store"));
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default);
        _store = new PostgresAudienceStore(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    /// <summary>
    /// A chunk's row under the shared lock, as the store inserts it (without the check that its run is stored), in a
    /// transaction the test holds open.
    /// </summary>
    private static Task AppendOpenAsync(NpgsqlTransaction transaction, bool removes, string[] members)
    {
        var (packed, size) = PackedMembers.Pack(members);
        return ExecuteInAsync(transaction, """
            INSERT INTO audience_member_log (audience_key, removes, size, members)
            SELECT $1, $2, $3, $4 FROM (SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))) AS locked
            """, Key, removes, size, packed);
    }

    /// <summary>A statement in a transaction the test holds open.</summary>
    private static async Task ExecuteInAsync(NpgsqlTransaction transaction, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Waits until <paramref name="count"/> backends of this database wait on a lock, so the statements under test have
    /// reached the locks the test holds (not merely not finished yet); fails after 30 s, or at once when one of the
    /// <paramref name="watched"/> calls ends instead (with its exception, if it threw).
    /// </summary>
    private async Task WaitersAsync(int count, params Task[] watched)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                return;
            }
            if (watched.FirstOrDefault(t => t.IsCompleted) is { } ended)
            {
                await ended;
                Assert.Fail("A statement the test holds back finished without waiting on its lock.");
            }
        }
        Assert.Fail($"{count} statement(s) never waited on a lock.");
    }

    private Task<long> LogRowsAsync(string key = Key) => LogAsync("count(*)", key);

    private Task<long> LastSeqAsync() => LogAsync("max(seq)", Key);

    /// <summary>One aggregate over an audience's rows in the log.</summary>
    private async Task<long> LogAsync(string aggregate, string key)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {aggregate} FROM audience_member_log WHERE audience_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_chunk_is_one_row_and_a_finished_run_rewrites_the_log_as_one()
    {
        await AddAsync(Key, Emails(0, 5_000));
        await AddAsync(Key, Emails(4_000, 5_000));
        await RemoveAsync(Key, Emails(0, 10));
        Assert.Equal(3, await LogRowsAsync());

        await FinishRunAsync();

        Assert.Equal(1, await LogRowsAsync());
        Assert.Equal(8_990, await Store.CountMembersAsync(Key, default));
    }

    [Fact]
    public async Task A_commit_is_one_transaction_so_a_chunk_that_cannot_be_stored_leaves_its_run_and_the_chunks_before_it_unstored()
    {
        var run = await RunningAsync(30);
        await Store.CommitAsync(Key, run with { Progress = 10, Uploaded = 10 }, removes: false, [Emails(0, 10)], default);
        // A rule for this test only, which the commit's last statement breaks: its run's progress went first.
        await using (var rule = _dataSource.CreateCommand("ALTER TABLE audience_member_log ADD CONSTRAINT test_no_seven CHECK (size <> 7)"))
        {
            await rule.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<PostgresException>(() => Store.CommitAsync(Key, run with { Progress = 27, Uploaded = 27 }, removes: false, [Emails(10, 10), Emails(20, 7)], default));

        Assert.Equal(10, (await Store.OpenAsync(Key, default)).Single().Progress);
        Assert.Equal(10, await Store.CountMembersAsync(Key, default));
        Assert.Equal(1, await LogRowsAsync());
    }

    [Fact]
    public async Task A_commit_is_one_transaction_so_a_run_that_cannot_be_stored_leaves_none_of_its_chunks()
    {
        var run = await RunningAsync(20);
        await Store.CommitAsync(Key, run with { Progress = 10, Uploaded = 10 }, removes: false, [Emails(0, 10)], default);

        await Assert.ThrowsAsync<PostgresException>(() => Store.CommitAsync(Key, run with { Progress = 20, Uploaded = 20, Status = "lost" }, removes: false, [Emails(10, 10)], default));

        Assert.Equal(10, (await Store.OpenAsync(Key, default)).Single().Progress);
        Assert.Equal(10, await Store.CountMembersAsync(Key, default));
        Assert.Equal(1, await LogRowsAsync());
    }

    [Fact]
    public async Task Deleting_the_audience_while_the_store_commits_waits_for_the_commit_and_deletes_its_chunks()
    {
        var run = await RunningAsync(20);
        // The audience's lock held exclusively, as a rewrite holds it: the store's commit takes its run's row, then
        // waits at its chunk's insert, and the deletion waits on that row.
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteInAsync(transaction, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Key);
        var commit = Store.CommitAsync(Key, run with { Progress = 10, Uploaded = 10 }, removes: false, [Emails(0, 10)], default);
        await WaitersAsync(1, commit);
        var deletion = Store.DeleteAudienceAsync(Key, default);
        await WaitersAsync(2, commit, deletion);
        Assert.False(commit.IsCompleted, "the commit waits for the audience's lock");
        Assert.False(deletion.IsCompleted, "the deletion waits for the commit holding the run");

        await transaction.CommitAsync();
        await commit;
        await deletion;

        Assert.Equal(0, await LogRowsAsync());
        Assert.Equal(0, await Store.CountMembersAsync(Key, default));
        Assert.Empty(await Store.HistoryAsync(Key, 10, default));
    }

    [Fact]
    public async Task Deleting_the_audience_beside_a_commit_still_being_stored_deletes_its_chunks_too()
    {
        var run = await RunningAsync(20);
        // A commit as the store makes it (the run's row, then a chunk under the shared lock), held open in its
        // transaction: a deletion that cleared the log before it waited on the run would miss the chunk.
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteInAsync(transaction, "UPDATE audience_operations SET progress = 10 WHERE op_id = $1", run.OpId);
        await AppendOpenAsync(transaction, removes: false, Emails(0, 10));

        await DeleteBesideAsync(transaction, "the deletion waits for the commit holding the run");
    }

    [Fact]
    public async Task Deleting_the_audience_beside_a_rewrite_of_its_log_still_being_stored_deletes_the_rewritten_row_too()
    {
        await AddAsync(Key, Emails(0, 100));
        await AddAsync(Key, Emails(100, 100));
        // A rewrite as the store makes it (the audience's lock exclusively, the rows it replays deleted, one packed row
        // in their place), held open in its transaction. A deletion that cleared the log without waiting for the lock
        // would wait only on the deleted rows' locks, miss the packed row, and leave the members in it.
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteInAsync(transaction, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Key);
        var lastSeq = await LastSeqAsync();
        var (packed, size) = PackedMembers.Pack(Emails(0, 200));
        await ExecuteInAsync(transaction, "DELETE FROM audience_member_log WHERE audience_key = $1 AND seq <= $2", Key, lastSeq);
        await ExecuteInAsync(transaction, "INSERT INTO audience_member_log (audience_key, seq, removes, size, members) VALUES ($1, $2, false, $3, $4)", Key, lastSeq, size, packed);

        await DeleteBesideAsync(transaction, "the deletion waits for the rewrite");
    }

    /// <summary>
    /// Deletes the audience beside <paramref name="held"/>, a transaction the test holds open: the deletion waits for
    /// it (<paramref name="why"/>), and once it commits none of the audience's members is left.
    /// </summary>
    private async Task DeleteBesideAsync(NpgsqlTransaction held, string why)
    {
        var deletion = Store.DeleteAudienceAsync(Key, default);
        await WaitersAsync(1, deletion);
        Assert.False(deletion.IsCompleted, why);
        await held.CommitAsync();
        await deletion;

        Assert.Equal(0, await LogRowsAsync());
        Assert.Equal(0, await Store.CountMembersAsync(Key, default));
    }

    [Fact]
    public async Task A_run_that_ends_in_a_commit_rewrites_the_log_as_one_row()
    {
        var run = await RunningAsync(30);
        await Store.CommitAsync(Key, run with { Progress = 20, Uploaded = 20 }, removes: false, [Emails(0, 10), Emails(10, 10)], default);
        Assert.Equal(2, await LogRowsAsync());

        await Store.CommitAsync(Key, run with { Progress = 30, Uploaded = 30, Status = OperationStatuses.Done, FinishedAt = Now }, removes: false, [Emails(20, 10)], default);

        Assert.Equal(1, await LogRowsAsync());
        Assert.Equal(30, await Store.CountMembersAsync(Key, default));
    }

    [Fact]
    public async Task A_rewrite_beside_chunks_being_stored_loses_none_of_them()
    {
        await AddAsync(Key, Emails(0, 2_000));
        await RemoveAsync(Key, Emails(0, 100));

        var chunks = Enumerable.Range(0, 12).Select(c => Task.Run(() => AddAsync(Key, Emails(2_000 + (c * 100), 100))));
        var rewrites = Enumerable.Range(0, 4).Select(_ => Task.Run(() => FinishRunAsync()));
        await Task.WhenAll([.. chunks, .. rewrites]);

        Assert.Equal(3_100, await Store.CountMembersAsync(Key, default));
        await FinishRunAsync();
        Assert.Equal(1, await LogRowsAsync());
        Assert.Equal(3_100, await Store.CountMembersAsync(Key, default));
    }

    [Fact]
    public async Task A_rewrite_waits_for_a_removal_still_being_stored_so_it_does_not_bring_its_members_back()
    {
        await AddAsync(Key, Emails(0, 100));
        // A removal stored as the store does it (the shared lock, then the row), held open in its transaction, and a
        // later chunk committed beside it: a rewrite that did not wait would pack the removed members into a row
        // after the removal's, and they would be held again once it commits.
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await AppendOpenAsync(transaction, removes: true, Emails(10, 20));
        await RemoveAsync(Key, Emails(0, 5));

        var rewrite = FinishRunAsync();
        await WaitersAsync(1, rewrite);
        Assert.False(rewrite.IsCompleted, "the rewrite waits for the removal");
        await transaction.CommitAsync();
        await rewrite;

        Assert.Equal(1, await LogRowsAsync());
        Assert.Equal(75, await Store.CountMembersAsync(Key, default));
    }

    [Fact]
    public async Task A_large_run_is_stored_in_pieces_with_its_row_and_deleting_the_audience_deletes_them()
    {
        var packed = new byte[12_345 * PackedRows.Width(1)];
        for (var row = 0; row < 12_345; row++)
        {
            packed[row * PackedRows.Width(1)] = 1;
        }
        var large = await Store.EnqueueAsync(Key, "APPEND", ["EMAIL_SHA256"], [], packed, "instant", 12_345, 12_345, Now, default);
        var small = await Store.EnqueueAsync(Key, "APPEND", ["EMAIL_SHA256"], [], packed[..(PostgresAudienceStore.PieceRows * PackedRows.Width(1))], "instant", 5_000, 5_000, Now, default);

        Assert.Equal(3, await PiecesAsync(large));
        Assert.Equal(0, await PiecesAsync(small));
        Assert.Equal([large, small], (await Store.OpenAsync(Key, default)).Select(o => o.OpId));

        await Store.DeleteAudienceAsync(Key, default);

        Assert.Equal(0, await PiecesAsync(large));
    }

    private async Task<long> PiecesAsync(long opId)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM audience_run_pieces WHERE op_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = opId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Members_stored_a_row_each_before_0018_are_carried_over_packed()
    {
        var name = await TestPostgres.CreateDatabaseAsync("audience_upgrade");
        await using var dataSource = NpgsqlDataSource.Create(name);
        string[] old = [Email(1), Email(2), $"PHONE_SHA256:{new string('b', 64)}", $"EMAIL_SHA256:{new string('A', 64)}", "OTHER:ţară"];
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default, before: "0018");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var insert = new NpgsqlCommand("INSERT INTO audience_members (audience_key, member) SELECT $1, unnest($2::text[]) UNION ALL SELECT 'org_b/aud_2', $3", connection)
            {
                Parameters = { new NpgsqlParameter { Value = Key }, new NpgsqlParameter { Value = old }, new NpgsqlParameter { Value = Email(3) } },
            };
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Contains("0018_audience_member_log.sql", await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default));

        var store = new PostgresAudienceStore(dataSource);
        var empty = new HashSet<string>(StringComparer.Ordinal);
        Assert.Equal(Sorted(old), Sorted(await store.MembersNotInAsync(Key, empty, 100, default)));
        Assert.Equal(5, await store.CountMembersAsync(Key, default));
        Assert.Equal([Email(3)], await store.MembersNotInAsync("org_b/aud_2", empty, 100, default));
        await using var table = dataSource.CreateCommand("SELECT to_regclass('audience_members') IS NULL");
        Assert.True((bool)(await table.ExecuteScalarAsync())!);
    }
}
