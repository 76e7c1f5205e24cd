using System.Text.Json;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Grains.Audiences;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Audiences;

public sealed class AudienceSyncPlanTests
{
    private const string Key = "org_1/aud_1";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly AudienceState Audience = new() { AdvertiserId = "700", TikTokAudienceId = "tt_9", Status = AudienceStatuses.Ready, ReadyAt = Now.AddDays(-1) };
    private readonly InMemoryAudienceStore _store = new();
    private readonly AudienceOptions _options = new() { ChunkSize = 2, ReadyPollFirst = TimeSpan.FromSeconds(5), ReadyPollInterval = TimeSpan.FromMinutes(5), FailureBackoff = TimeSpan.FromSeconds(10) };

    private AudienceSyncPlan Plan() => new(_store, Key, _options);

    private async Task<AudienceOperation> EnqueueAsync(string action, IReadOnlyList<string> schema, params string[] rows)
    {
        var id = await _store.EnqueueAsync(Key, action, schema, rows, null, "instant", rows.Length, rows.Length, Now, CancellationToken.None);
        return (await _store.OpenAsync(Key, CancellationToken.None)).Single(o => o.OpId == id);
    }

    /// <summary>Members the audience holds: an earlier run's upload, committed and done.</summary>
    private async Task HeldAsync(params string[] members)
    {
        var earlier = await EnqueueAsync("APPEND", ["EMAIL_SHA256"], "x");
        await _store.CommitAsync(Key, earlier with { Status = OperationStatuses.Done, Progress = 1, Uploaded = 1, StartedAt = Now, FinishedAt = Now }, removes: false, [members], CancellationToken.None);
    }

    private static AudienceOperation Run(string action, int valid, int phase = 0, int progress = 0)
        => new(1, action, ["EMAIL_SHA256"], "instant", valid, valid, OperationStatuses.Running, phase, progress, progress, 0, Now, Now, null, null);

    private static TikTokResponse<JsonElement> Answer(int code, string message = "OK", TikTokOutcome? outcome = null)
        => new(code, message, "req_1", 200, outcome ?? (code == 0 ? TikTokOutcome.Success : TikTokOutcome.InvalidRequest), default);

    private static AudienceSyncStep Chunk(AudienceOperation run, int count)
        => new(run, new SegmentMappingRequest { AdvertiserIds = ["700"], Action = run.Action == "REMOVE" ? "delete" : "add", IdSchema = run.IdSchema, BatchData = [] }, [], count);

    [Fact]
    public void The_due_run_is_the_oldest_one_not_waiting_for_the_sync_hour()
    {
        AudienceOperation[] open = [Run("APPEND", 1) with { OpId = 1, Status = OperationStatuses.Scheduled }, Run("REMOVE", 1) with { OpId = 2, Status = OperationStatuses.Pending }, Run("APPEND", 1) with { OpId = 3, Status = OperationStatuses.Pending }];

        Assert.Equal(2, AudienceSyncPlan.Due(open)!.OpId);
        Assert.Null(AudienceSyncPlan.Due([open[0]]));
    }

    [Fact]
    public void A_row_becomes_one_user_aligned_to_the_schema_with_empty_cells_left_missing()
    {
        var run = Run("APPEND", 2) with { IdSchema = ["EMAIL_SHA256", "PHONE_SHA256"] };

        var step = AudienceSyncPlan.RowsStep(run, Audience, RunRows.OfText(["e1,p1", ",p2"]));

        Assert.Equal("add", step.Request!.Action);
        Assert.Equal(["700"], step.Request.AdvertiserIds);
        Assert.Equal(["EMAIL_SHA256", "PHONE_SHA256"], step.Request.IdSchema);
        Assert.Equal("e1", step.Request.BatchData[0][0].Id);
        Assert.Equal(["tt_9"], step.Request.BatchData[0][1].AudienceIds!);
        Assert.Same(SegmentId.Missing, step.Request.BatchData[1][0]);
        Assert.Equal("p2", step.Request.BatchData[1][1].Id);
        Assert.Equal(["EMAIL_SHA256:e1", "PHONE_SHA256:p1", "PHONE_SHA256:p2"], step.Members);
        Assert.Equal(2, step.Count);
    }

    [Fact]
    public void Packed_rows_make_the_same_request_and_members_as_their_text_without_a_string_per_member()
    {
        var e1 = Sha(1);
        var p1 = Sha(2);
        var p2 = Sha(3);
        var run = Run("APPEND", 3) with { IdSchema = ["EMAIL_SHA256", "PHONE_SHA256"] };
        string[] text = [$"{e1},{p1}", $",{p2}", $"{e1},"];
        var packed = PackedRows.TryPack(text, 2)!;

        var fromText = AudienceSyncPlan.RowsStep(run, Audience, RunRows.OfText(text));
        var fromPacked = AudienceSyncPlan.RowsStep(run, Audience, RunRows.OfPacked(packed, 2));

        Assert.Equal(JsonSerializer.Serialize(fromText.Request!, TikTokJsonContext.Default.SegmentMappingRequest),
            JsonSerializer.Serialize(fromPacked.Request!, TikTokJsonContext.Default.SegmentMappingRequest));
        Assert.Equal(3, fromPacked.Count);
        var members = Assert.IsType<MemberChunk>(fromPacked.Members);
        // The same email in two rows is one member, as the text rows' members are once they are stored.
        Assert.Equal(fromText.Members.Distinct().Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
        Assert.Equal(3, members.Count);
        Assert.Equal(3 * 33, members.Packed.Length);
    }

    [Fact]
    public async Task A_held_run_gives_the_chunks_the_store_gives_and_once_let_go_the_store_is_read_again()
    {
        // Seven rows of an email and a phone, some cells empty; chunks of two, so the last chunk is one row.
        string[] text = [.. Enumerable.Range(0, 7).Select(i => i % 3 == 1 ? $",{Sha(100 + i)}" : i % 3 == 2 ? $"{Sha(i)}," : $"{Sha(i)},{Sha(100 + i)}")];
        var packed = PackedRows.TryPack(text, 2)!;
        var opId = await _store.EnqueueAsync(Key, "APPEND", ["EMAIL_SHA256", "PHONE_SHA256"], [], packed, "instant", 7, 7, Now, CancellationToken.None);
        var run = (await _store.OpenAsync(Key, CancellationToken.None)).Single(o => o.OpId == opId);
        var held = Plan();
        held.Hold(opId, [.. packed], 2);
        var read = Plan();

        foreach (var progress in new[] { 0, 2, 4, 6, 7, 9 })
        {
            var fromHeld = await held.NextAsync(run with { Progress = progress }, Audience, Now, CancellationToken.None);
            var fromStore = await read.NextAsync(run with { Progress = progress }, Audience, Now, CancellationToken.None);
            Assert.Equal(fromStore.Count, fromHeld.Count);
            Assert.Equal(Json(fromStore), Json(fromHeld));
            Assert.Equal(fromStore.Members, fromHeld.Members);
        }

        // What is held is what is sent: other rows held under the run show in its chunks until they are let go.
        var other = PackedRows.TryPack([.. text.Select(_ => $"{Sha(999)},")], 2)!;
        held.Hold(opId, other, 2);
        var first = Json(await read.NextAsync(run, Audience, Now, CancellationToken.None));
        Assert.NotEqual(first, Json(await held.NextAsync(run, Audience, Now, CancellationToken.None)));
        held.Release(opId + 1);
        Assert.True(held.Holds(opId));
        held.Release(opId);
        Assert.False(held.Holds(opId));
        Assert.Equal(first, Json(await held.NextAsync(run, Audience, Now, CancellationToken.None)));
    }

    private static string Json(AudienceSyncStep step)
        => step.Request is null ? "" : JsonSerializer.Serialize(step.Request, TikTokJsonContext.Default.SegmentMappingRequest);

    private static string Sha(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));

    [Theory]
    [InlineData("APPEND", "add")]
    [InlineData("REPLACE", "add")]
    [InlineData("REMOVE", "delete")]
    public void Phase_zero_adds_or_deletes_as_the_action_says(string action, string expected)
    {
        var step = AudienceSyncPlan.RowsStep(Run(action, 1), Audience, RunRows.OfText(["e1"]));

        Assert.Equal(expected, step.Request!.Action);
        Assert.Equal(expected == "delete", step.Deletes);
        Assert.Equal(action, step.Metric);
    }

    [Fact]
    public async Task The_next_chunk_starts_where_the_stored_progress_stopped()
    {
        var run = await EnqueueAsync("APPEND", ["EMAIL_SHA256"], "a", "b", "c", "d", "e");

        var step = await Plan().NextAsync(run with { Progress = 2 }, Audience, Now, CancellationToken.None);

        Assert.Equal(["EMAIL_SHA256:c", "EMAIL_SHA256:d"], step.Members);
    }

    [Fact]
    public async Task A_run_is_started_once_by_its_first_step()
    {
        var run = await EnqueueAsync("APPEND", ["EMAIL_SHA256"], "a");

        var first = await Plan().NextAsync(run, Audience, Now, CancellationToken.None);
        var later = await Plan().NextAsync(first.Run, Audience, Now.AddMinutes(3), CancellationToken.None);

        Assert.Equal(OperationStatuses.Pending, run.Status);
        Assert.Equal(OperationStatuses.Running, first.Run.Status);
        Assert.Equal(Now, later.Run.StartedAt);
    }

    [Fact]
    public async Task Replace_phase_one_deletes_the_stored_members_that_are_not_in_the_new_set()
    {
        await HeldAsync("EMAIL_SHA256:keep", "EMAIL_SHA256:old", "PHONE_SHA256:oldphone");
        var run = await EnqueueAsync("REPLACE", ["EMAIL_SHA256"], "keep");

        var step = await new AudienceSyncPlan(_store, Key, new AudienceOptions { ChunkSize = 10 }).NextAsync(run with { Phase = 1 }, Audience, Now, CancellationToken.None);

        Assert.Equal("delete", step.Request!.Action);
        Assert.Equal("REPLACE_REMOVE", step.Metric);
        Assert.Equal(["EMAIL_SHA256:old", "PHONE_SHA256:oldphone"], step.Members.Order(StringComparer.Ordinal));
        Assert.Equal(["EMAIL_SHA256", "PHONE_SHA256"], step.Request.IdSchema.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_extra_member_is_a_user_with_only_its_own_schema_filled()
    {
        var step = AudienceSyncPlan.ExtrasStep(Run("REPLACE", 1, phase: 1), Audience, ["EMAIL_SHA256:e", "PHONE_SHA256:p"]);

        Assert.Equal(["EMAIL_SHA256", "PHONE_SHA256"], step.Request!.IdSchema);
        Assert.Equal("e", step.Request.BatchData[0][0].Id);
        Assert.Same(SegmentId.Missing, step.Request.BatchData[0][1]);
        Assert.Same(SegmentId.Missing, step.Request.BatchData[1][0]);
        Assert.Equal("p", step.Request.BatchData[1][1].Id);
    }

    [Fact]
    public async Task Each_replace_run_keeps_its_own_new_set()
    {
        await HeldAsync("EMAIL_SHA256:a", "EMAIL_SHA256:b");
        var plan = Plan();
        var first = await EnqueueAsync("REPLACE", ["EMAIL_SHA256"], "a");
        var second = await EnqueueAsync("REPLACE", ["EMAIL_SHA256"], "b");

        var firstStep = await plan.NextAsync(first with { Phase = 1 }, Audience, Now, CancellationToken.None);
        var secondStep = await plan.NextAsync(second with { Phase = 1 }, Audience, Now, CancellationToken.None);

        Assert.Equal(["EMAIL_SHA256:b"], firstStep.Members);
        Assert.Equal(["EMAIL_SHA256:a"], secondStep.Members);
    }

    [Fact]
    public void An_accepted_chunk_counts_its_rows_and_makes_the_audience_ready()
    {
        var processing = Audience with { Status = AudienceStatuses.Processing, ReadyAt = null, LastError = "TikTok 50000: busy" };

        var result = Plan().Settle(Chunk(Run("APPEND", 5, progress: 2), 2), processing, Answer(0), Now);

        Assert.Equal(AudienceStepOutcome.Accepted, result.Outcome);
        Assert.Equal((4, 4, OperationStatuses.Running), (result.Run.Progress, result.Run.Uploaded, result.Run.Status));
        Assert.Equal((AudienceStatuses.Ready, (DateTimeOffset?)Now, (string?)null), (result.Audience.Status, result.Audience.ReadyAt, result.Audience.LastError));
        Assert.Equal(TimeSpan.Zero, result.Delay);
    }

    [Theory]
    [InlineData("APPEND", OperationStatuses.Done, 0)]
    [InlineData("REMOVE", OperationStatuses.Done, 0)]
    [InlineData("REPLACE", OperationStatuses.Running, 1)]
    public void The_last_chunk_finishes_the_run_or_moves_a_replace_to_its_removals(string action, string status, int phase)
    {
        var result = Plan().Settle(Chunk(Run(action, 5, progress: 4), 1), Audience, Answer(0), Now);

        Assert.Equal((status, phase, 5), (result.Run.Status, result.Run.Phase, result.Run.Progress));
        Assert.Equal(status == OperationStatuses.Done ? Now : null, result.Run.FinishedAt);
    }

    [Theory]
    [InlineData("APPEND", 0, OperationStatuses.Done, 0)]
    [InlineData("REPLACE", 0, OperationStatuses.Running, 1)]
    [InlineData("REPLACE", 1, OperationStatuses.Done, 1)]
    public void A_phase_with_nothing_left_moves_on_without_calling_TikTok(string action, int phase, string status, int nextPhase)
    {
        var run = Run(action, 3, phase);

        var result = Plan().Settle(new AudienceSyncStep(run, null, [], 0), Audience, null, Now);

        Assert.Equal(AudienceStepOutcome.Moved, result.Outcome);
        Assert.Equal((status, nextPhase, (string?)null), (result.Run.Status, result.Run.Phase, result.Run.Error));
        Assert.Same(Audience, result.Audience);
    }

    [Fact]
    public void Accepted_removals_of_a_replace_count_as_removed()
    {
        var result = Plan().Settle(Chunk(Run("REPLACE", 3, phase: 1, progress: 3), 2), Audience, Answer(0), Now);

        Assert.Equal((2, 3, 1, OperationStatuses.Running), (result.Run.Removed, result.Run.Progress, result.Run.Phase, result.Run.Status));
    }

    [Theory]
    [InlineData(0, 5)] // just created: the first, short wait
    [InlineData(30, 7.5)] // a quarter of the age
    [InlineData(600, 150)]
    [InlineData(3600, 300)] // an hour old: never more than the longest wait
    [InlineData(86_400, 300)]
    public void While_TikTok_still_processes_the_audience_the_wait_grows_with_its_age(int ageSeconds, double waitSeconds)
    {
        var run = Run("APPEND", 5);
        var audience = Audience with { CreatedAt = Now.AddSeconds(-ageSeconds) };

        var result = Plan().Settle(Chunk(run, 2), audience, Answer(TikTokCodes.InvalidEvent, "The audience is still processing, try later."), Now);

        Assert.Equal(AudienceStepOutcome.Waiting, result.Outcome);
        Assert.Same(run, result.Run);
        Assert.Equal(AudienceStatuses.Processing, result.Audience.Status);
        Assert.Equal(TimeSpan.FromSeconds(waitSeconds), result.Delay);
    }

    [Fact]
    public void By_default_a_new_audience_is_tried_again_within_seconds_not_minutes()
    {
        var defaults = new AudienceOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), defaults.ReadyPollDelay(Now, Now));
        Assert.Equal(TimeSpan.FromMinutes(5), defaults.ReadyPollDelay(Now.AddHours(-2), Now));
    }

    [Fact]
    public void A_request_TikTok_refuses_fails_the_run_with_its_message()
    {
        var result = Plan().Settle(Chunk(Run("APPEND", 5), 2), Audience, Answer(TikTokCodes.InvalidEvent, "id_schema is invalid"), Now);

        Assert.Equal(AudienceStepOutcome.Failed, result.Outcome);
        Assert.Equal((OperationStatuses.Failed, (string?)"TikTok 40002: id_schema is invalid", (DateTimeOffset?)Now), (result.Run.Status, result.Run.Error, result.Run.FinishedAt));
        Assert.Equal("TikTok 40002: id_schema is invalid", result.Audience.LastError);
        Assert.Equal(0, result.Run.Progress);
    }

    [Theory]
    [InlineData(TikTokOutcome.Transient)]
    [InlineData(TikTokOutcome.Throttled)]
    [InlineData(TikTokOutcome.Authorization)]
    public void Other_failures_keep_the_run_and_back_off(TikTokOutcome outcome)
    {
        var run = Run("APPEND", 5, progress: 2);

        var result = Plan().Settle(Chunk(run, 2), Audience, Answer(50000, "busy", outcome), Now);

        Assert.Equal(AudienceStepOutcome.Retry, result.Outcome);
        Assert.Same(run, result.Run);
        Assert.Equal("TikTok 50000: busy", result.Audience.LastError);
        Assert.Equal(_options.FailureBackoff, result.Delay);
    }
}
