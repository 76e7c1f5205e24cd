using System.Text.Json;
using TikTokAds.Contracts.Audiences;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// The decisions of an audience's sync runs, one chunk at a time: which run is due, what its next chunk
/// sends, and how TikTok's answer settles it. Phase 0 adds (APPEND, REPLACE) or deletes (REMOVE) the run's
/// rows; a REPLACE then has phase 1, deleting what is stored but not in the new set. One plan per
/// activation: it keeps a REPLACE's new set in memory, read once per run rather than once per chunk.
/// </summary>
public sealed class AudienceSyncPlan(IAudienceStore store, string audienceKey, AudienceOptions options)
{
    private const int KeepPage = 50_000;
    private (long OpId, HashSet<string> Members)? _keep;
    private (long OpId, RunRows Rows)? _held;

    /// <summary>The oldest open run whose time has come; scheduled runs wait for the sync hour.</summary>
    public static AudienceOperation? Due(IEnumerable<AudienceOperation> open) => open.FirstOrDefault(o => o.Status != OperationStatuses.Scheduled);

    /// <summary>The run's next chunk, read from the store where its progress stopped; the run counts as started from here.</summary>
    public async Task<AudienceSyncStep> NextAsync(AudienceOperation run, AudienceState audience, DateTimeOffset now, CancellationToken cancellationToken)
    {
        run = run.StartedAt is null ? run with { Status = OperationStatuses.Running, StartedAt = now } : run;
        if (run.Phase == 0)
        {
            return RowsStep(run, audience, _held is { } held && held.OpId == run.OpId
                ? held.Rows.Slice(run.Progress, options.ChunkSize)
                : await store.RowsAsync(run.OpId, run.Progress, options.ChunkSize, cancellationToken));
        }
        var extras = await store.MembersNotInAsync(audienceKey, await KeepAsync(run, cancellationToken), options.ChunkSize, cancellationToken);
        if (extras.Count == 0)
        {
            _keep = null;
        }
        return ExtrasStep(run, audience, extras);
    }

    /// <summary>
    /// The packed rows of a run this activation has just stored, as the sync request brought them: the run's upload
    /// takes its chunks from them instead of reading each back from the store (which cost the node and PostgreSQL about
    /// a quarter of an upload's CPU; docs/BENCHMARKS.md, thirty-third pass). A run's rows never change once stored, so
    /// both give the same chunks. One run at a time, held only while its upload flows (<see cref="Release"/>).
    /// </summary>
    public void Hold(long opId, byte[] packed, int cells) => _held = (opId, RunRows.OfPacked(packed, cells));

    /// <summary>Lets the held rows go (only if they are run <paramref name="opId"/>'s, when given): later chunks are read from the store.</summary>
    public void Release(long? opId = null)
    {
        if (opId is null || _held?.OpId == opId)
        {
            _held = null;
        }
    }

    /// <summary>Whether the rows of run <paramref name="opId"/> are held.</summary>
    public bool Holds(long opId) => _held?.OpId == opId;

    /// <summary>
    /// Phase 0: each row becomes one user aligned to the run's IdSchema, empty cells left empty. Packed rows go into
    /// the request and the members as their bytes; "cell,cell" text rows are split.
    /// </summary>
    public static AudienceSyncStep RowsStep(AudienceOperation run, AudienceState audience, RunRows rows)
    {
        if (rows.Count == 0)
        {
            return new AudienceSyncStep(run, null, [], 0);
        }
        var action = run.Action == "REMOVE" ? "delete" : "add";
        if (rows.IsPacked)
        {
            var batch = SegmentBatch.FromDigests(rows.Packed, rows.Cells, [audience.TikTokAudienceId!]);
            return new AudienceSyncStep(run, Request(audience, action, run.IdSchema, batch), MemberChunk.FromRows(rows, run.IdSchema), rows.Count);
        }
        var text = rows.Text;
        var users = SegmentBatch.Of(text.Select(row => (IReadOnlyList<SegmentId>)[.. row.Split(',').Select(cell => cell.Length == 0 ? SegmentId.Missing : Segment(cell, audience))]));
        var members = text.SelectMany(row => Members(run.IdSchema, row)).ToList();
        return new AudienceSyncStep(run, Request(audience, action, run.IdSchema, users), members, text.Count);
    }

    /// <summary>Phase 1: each stored member not in the new set, deleted as a user with only its own schema filled.</summary>
    public static AudienceSyncStep ExtrasStep(AudienceOperation run, AudienceState audience, IReadOnlyList<string> extras)
    {
        if (extras.Count == 0)
        {
            return new AudienceSyncStep(run, null, [], 0);
        }
        var split = extras.Select(m => (Schema: m[..m.IndexOf(':', StringComparison.Ordinal)], Id: m[(m.IndexOf(':', StringComparison.Ordinal) + 1)..])).ToList();
        var schema = split.Select(m => m.Schema).Distinct(StringComparer.Ordinal).ToList();
        var batch = SegmentBatch.Of(split.Select(m => (IReadOnlyList<SegmentId>)[.. schema.Select(s => s == m.Schema ? Segment(m.Id, audience) : SegmentId.Missing)]));
        return new AudienceSyncStep(run, Request(audience, "delete", schema, batch), extras, extras.Count);
    }

    /// <summary>
    /// Settles a step with TikTok's answer (none when it sent nothing). The last chunk settles the run in the
    /// same step, so a finished run never waits for another turn.
    /// </summary>
    public AudienceStepResult Settle(AudienceSyncStep step, AudienceState audience, TikTokResponse<JsonElement>? response, DateTimeOffset now)
    {
        var run = step.Run;
        if (response is null)
        {
            return new AudienceStepResult(AudienceStepOutcome.Moved, PhaseDone(run, now), audience, TimeSpan.Zero);
        }
        if (response.IsSuccess)
        {
            var next = run.Phase == 0
                ? run with { Progress = run.Progress + step.Count, Uploaded = run.Uploaded + step.Count }
                : run with { Removed = run.Removed + step.Count };
            var ready = audience with { Status = AudienceStatuses.Ready, ReadyAt = audience.ReadyAt ?? now, LastError = null };
            return new AudienceStepResult(AudienceStepOutcome.Accepted, next.Phase == 0 && next.Progress >= next.Valid ? PhaseDone(next, now) : next, ready, TimeSpan.Zero);
        }
        // TikTok answers 40002 "...processing..." until a new audience can take data (about an hour).
        if (response.Code == TikTokCodes.InvalidEvent && response.Message.Contains("processing", StringComparison.OrdinalIgnoreCase))
        {
            return new AudienceStepResult(AudienceStepOutcome.Waiting, run, audience with { Status = AudienceStatuses.Processing }, options.ReadyPollDelay(audience.CreatedAt, now));
        }
        var error = $"TikTok {response.Code}: {response.Message}";
        return response.Outcome == TikTokOutcome.InvalidRequest
            ? new AudienceStepResult(AudienceStepOutcome.Failed, Finish(run, error, now), audience with { LastError = error }, TimeSpan.Zero)
            : new AudienceStepResult(AudienceStepOutcome.Retry, run, audience with { LastError = error }, options.FailureBackoff);
    }

    private static AudienceOperation PhaseDone(AudienceOperation run, DateTimeOffset now)
        => run.Phase == 0 && run.Action == "REPLACE" ? run with { Phase = 1 } : Finish(run, null, now);

    private static AudienceOperation Finish(AudienceOperation run, string? error, DateTimeOffset now)
        => run with { Status = error is null ? OperationStatuses.Done : OperationStatuses.Failed, FinishedAt = now, Error = error };

    private async Task<IReadOnlySet<string>> KeepAsync(AudienceOperation run, CancellationToken cancellationToken)
    {
        if (_keep?.OpId != run.OpId)
        {
            var keep = new HashSet<string>(StringComparer.Ordinal);
            for (var offset = 0; offset < run.Valid; offset += KeepPage)
            {
                foreach (var row in (await store.RowsAsync(run.OpId, offset, KeepPage, cancellationToken)).AsText())
                {
                    keep.UnionWith(Members(run.IdSchema, row));
                }
            }
            _keep = (run.OpId, keep);
        }
        return _keep.Value.Members;
    }

    private static IEnumerable<string> Members(IReadOnlyList<string> idSchema, string row)
        => row.Split(',').Select((cell, p) => cell.Length == 0 ? "" : $"{idSchema[p]}:{cell}").Where(m => m.Length > 0);

    private static SegmentId Segment(string id, AudienceState audience) => new() { Id = id, AudienceIds = [audience.TikTokAudienceId!] };

    private static SegmentMappingRequest Request(AudienceState audience, string action, IReadOnlyList<string> idSchema, SegmentBatch batch)
        => new() { AdvertiserIds = [audience.AdvertiserId!], Action = action, IdSchema = idSchema, BatchData = batch };
}
