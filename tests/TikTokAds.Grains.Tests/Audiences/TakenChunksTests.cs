using TikTokAds.Grains.Audiences;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Audiences;

/// <summary>Chunks TikTok took are stored a few at a time, and the stored progress never passes a chunk whose members are not stored.</summary>
public sealed class TakenChunksTests
{
    private const string Key = "org_1/aud_1";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryAudienceStore _store = new();

    /// <summary>A run as stored when it was queued: pending.</summary>
    private async Task<AudienceOperation> PendingAsync(string action, int valid)
    {
        var id = await _store.EnqueueAsync(Key, action, ["EMAIL_SHA256"], [.. Enumerable.Range(0, valid).Select(i => $"m{i}")], null, "instant", valid, valid, Now, CancellationToken.None);
        return (await _store.OpenAsync(Key, CancellationToken.None)).Single(o => o.OpId == id);
    }

    /// <summary>A run stored as running, as a turn that resumes it finds it.</summary>
    private async Task<AudienceOperation> RunAsync(string action, int valid)
    {
        var run = await PendingAsync(action, valid) with { Status = OperationStatuses.Running, StartedAt = Now };
        await _store.CommitAsync(Key, run, removes: false, [], CancellationToken.None);
        return run;
    }

    private static SegmentMappingRequest Request(bool deletes)
        => new() { AdvertiserIds = ["700"], Action = deletes ? "delete" : "add", IdSchema = ["EMAIL_SHA256"], BatchData = [] };

    /// <summary>
    /// Settles chunk <paramref name="index"/> of ten rows, as the sync plan would: progress past it, and after its
    /// last row the run done (a REPLACE on to its removals).
    /// </summary>
    private static (AudienceSyncStep Step, AudienceOperation Next) Chunk(AudienceOperation run, int index, bool deletes = false)
    {
        var step = new AudienceSyncStep(run, Request(deletes),
            [.. Enumerable.Range(index * 10, 10).Select(i => $"EMAIL_SHA256:{i:x64}")], 10);
        var next = run with { Progress = run.Progress + 10, Uploaded = run.Uploaded + 10 };
        return (step, next.Progress < next.Valid ? next
            : run.Action == "REPLACE" ? next with { Phase = 1 }
            : next with { Status = OperationStatuses.Done, FinishedAt = Now });
    }

    /// <summary>Chunks <paramref name="first"/> to first + count − 1 taken one after another; the run past them.</summary>
    private static async Task<AudienceOperation> TakeAsync(TakenChunks taken, AudienceOperation run, int first, int count, Func<AudienceOperation, Task>? afterEach = null)
    {
        for (var i = first; i < first + count; i++)
        {
            var (step, next) = Chunk(run, i);
            await taken.TookAsync(step, next, CancellationToken.None);
            run = next;
            await (afterEach?.Invoke(run) ?? Task.CompletedTask);
        }
        return run;
    }

    private async Task<(int Progress, long Members)> StoredAsync(long opId)
        => ((await _store.HistoryAsync(Key, 10, CancellationToken.None)).Single(o => o.OpId == opId).Progress, await _store.CountMembersAsync(Key, CancellationToken.None));

    [Fact]
    public async Task Upload_chunks_are_stored_every_few_with_the_progress_past_them_and_the_rest_when_flushed()
    {
        var run = await RunAsync("APPEND", 100);
        var taken = new TakenChunks(_store, Key, run, chunksPerWrite: 4);
        var stored = new List<(int, long)>();

        run = await TakeAsync(taken, run, 0, 6, async r => stored.Add(await StoredAsync(r.OpId)));
        await taken.FlushAsync(CancellationToken.None);

        Assert.Equal([(0, 0), (0, 0), (0, 0), (40, 40), (40, 40), (40, 40)], stored);
        Assert.Equal((60, 60), await StoredAsync(run.OpId));
        await taken.FlushAsync(CancellationToken.None);
        Assert.Equal((60, 60), await StoredAsync(run.OpId));
    }

    [Fact]
    public async Task The_chunk_that_ends_the_run_is_stored_at_once_with_those_before_it()
    {
        var run = await RunAsync("APPEND", 30);
        var taken = new TakenChunks(_store, Key, run, chunksPerWrite: 8);

        run = await TakeAsync(taken, run, 0, 3);

        Assert.Equal(OperationStatuses.Done, (await _store.HistoryAsync(Key, 1, CancellationToken.None)).Single().Status);
        Assert.Equal((30, 30), await StoredAsync(run.OpId));
    }

    [Fact]
    public async Task The_first_chunk_of_a_pending_run_is_stored_at_once_so_the_run_shows_as_running()
    {
        var pending = await PendingAsync("APPEND", 100);
        var taken = new TakenChunks(_store, Key, pending, chunksPerWrite: 4);
        var stored = new List<(int, long)>();

        await TakeAsync(taken, pending with { Status = OperationStatuses.Running, StartedAt = Now }, 0, 5, async r => stored.Add(await StoredAsync(r.OpId)));

        Assert.Equal([(10, 10), (10, 10), (10, 10), (10, 10), (50, 50)], stored);
        Assert.Equal(OperationStatuses.Running, (await _store.HistoryAsync(Key, 1, CancellationToken.None)).Single().Status);
    }

    [Fact]
    public async Task The_chunk_that_ends_a_replace_upload_is_stored_at_once_before_its_removals_are_planned()
    {
        var run = await RunAsync("REPLACE", 30);
        var taken = new TakenChunks(_store, Key, run, chunksPerWrite: 8);

        await TakeAsync(taken, run, 0, 3);

        Assert.Equal(1, (await _store.HistoryAsync(Key, 1, CancellationToken.None)).Single().Phase);
        Assert.Equal((30, 30), await StoredAsync(run.OpId));
    }

    [Fact]
    public async Task A_replace_removal_is_stored_at_once()
    {
        var run = await RunAsync("REPLACE", 100);
        var taken = new TakenChunks(_store, Key, run, chunksPerWrite: 4);
        var afterUpload = await TakeAsync(taken, run, 0, 10);

        var removing = afterUpload;
        var removal = new AudienceSyncStep(removing, Request(deletes: true), [$"EMAIL_SHA256:{0:x64}"], 1);
        await taken.TookAsync(removal, removing with { Removed = 1 }, CancellationToken.None);

        Assert.Equal(99, await _store.CountMembersAsync(Key, CancellationToken.None));
        Assert.Equal(1, (await _store.HistoryAsync(Key, 1, CancellationToken.None)).Single().Removed);
    }

    [Fact]
    public async Task A_run_stored_for_another_reason_takes_the_chunks_not_stored_yet_with_it()
    {
        var run = await RunAsync("APPEND", 100);
        var taken = new TakenChunks(_store, Key, run, chunksPerWrite: 4);
        run = await TakeAsync(taken, run, 0, 2);

        await taken.StoreAsync(run with { Status = OperationStatuses.Failed, Error = "TikTok 40001: refused" }, CancellationToken.None);

        var stored = (await _store.HistoryAsync(Key, 1, CancellationToken.None)).Single();
        Assert.Equal((OperationStatuses.Failed, 20), (stored.Status, stored.Progress));
        Assert.Equal(20, await _store.CountMembersAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Chunks_that_change_direction_are_stored_apart()
    {
        var run = await RunAsync("APPEND", 100);
        var taken = new TakenChunks(_store, Key, run, chunksPerWrite: 4);
        var (add, afterAdd) = Chunk(run, 0);
        await taken.TookAsync(add, afterAdd, CancellationToken.None);
        var (delete, afterDelete) = Chunk(afterAdd, 0, deletes: true);

        await taken.TookAsync(delete, afterDelete, CancellationToken.None);

        // The add was stored before the delete was queued: the same members, added then not yet deleted.
        Assert.Equal((10, 10), await StoredAsync(run.OpId));
        await taken.FlushAsync(CancellationToken.None);
        Assert.Equal((20, 0), await StoredAsync(run.OpId));
    }
}
