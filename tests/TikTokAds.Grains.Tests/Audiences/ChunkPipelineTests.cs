using System.Collections.Concurrent;
using System.Text.Json;
using TikTokAds.Grains.Audiences;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Tests.Audiences;

public sealed class ChunkPipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static AudienceSyncStep Step(int progress)
        => new(new AudienceOperation(1, "APPEND", ["EMAIL_SHA256"], "instant", 100, 100, OperationStatuses.Running, 0, progress, progress, 0, Now, Now, null, null), null, [$"m{progress}"], 10);

    private static TikTokResponse<JsonElement> Answer(int code)
        => new(code, code == 0 ? "OK" : "down", "req", 200, code == 0 ? TikTokOutcome.Success : TikTokOutcome.Transient, default);

    private static Task<AudienceSyncStep?> Next(AudienceSyncStep previous, int last)
        => Task.FromResult(previous.Run.Progress + 10 <= last ? Step(previous.Run.Progress + 10) : null);

    [Fact]
    public async Task Answers_are_settled_in_the_order_sent_even_when_they_come_back_out_of_order()
    {
        var answers = Enumerable.Range(0, 10).Select(_ => new TaskCompletionSource<TikTokResponse<JsonElement>?>()).ToList();
        var settled = new List<int>();
        var sentCount = 0;

        var run = new ChunkPipeline(inFlight: 10, ahead: 10).RunAsync(
            Step(0), s => Next(s, 90), s => { sentCount++; return answers[s.Run.Progress / 10].Task; },
            (s, _) => { settled.Add(s.Run.Progress); return Task.FromResult(true); }, CancellationToken.None);
        for (var i = 9; i >= 0; i--)
        {
            answers[i].SetResult(Answer(0));
        }
        await run;

        Assert.Equal(10, sentCount);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 10), settled);
    }

    [Fact]
    public async Task No_more_than_the_allowed_requests_are_at_tiktok_at_once()
    {
        var atTikTok = 0;
        var most = 0;

        await new ChunkPipeline(inFlight: 2, ahead: 8).RunAsync(
            Step(0), s => Next(s, 90),
            async _ =>
            {
                most = Math.Max(most, ++atTikTok);
                await Task.Delay(5);
                atTikTok--;
                return Answer(0);
            },
            (_, _) => Task.FromResult(true), CancellationToken.None);

        Assert.Equal(2, most);
    }

    [Fact]
    public async Task After_an_answer_that_is_not_taken_nothing_more_is_sent_and_later_answers_are_awaited_but_not_settled()
    {
        var sent = new List<int>();
        var settled = new List<int>();
        var answered = 0;
        var gate = new TaskCompletionSource();
        // The later answers come 50 ms on, so a run that did not wait for them would end with none counted.
        var late = new TaskCompletionSource();
        _ = Task.Delay(50).ContinueWith(_ => late.SetResult(), TaskScheduler.Default);

        await new ChunkPipeline(inFlight: 3, ahead: 3).RunAsync(
            Step(0), s => Next(s, 90),
            async s =>
            {
                sent.Add(s.Run.Progress);
                if (s.Run.Progress == 0)
                {
                    await gate.Task;
                    return Answer(50001);
                }
                gate.TrySetResult();
                await late.Task;
                Interlocked.Increment(ref answered);
                return Answer(0);
            },
            (s, a) => { settled.Add(s.Run.Progress); return Task.FromResult(a!.IsSuccess); },
            CancellationToken.None);

        Assert.Equal([0], settled);
        Assert.Equal([0, 10, 20], sent);
        Assert.Equal(2, answered);
    }

    [Fact]
    public async Task A_failed_settlement_fails_the_run_and_waits_for_the_chunks_still_at_tiktok()
    {
        var settled = new ConcurrentQueue<int>();
        var gate = new TaskCompletionSource();
        var othersDone = 0;
        // The other answers come only later, so a run that did not wait for them would end with none done.
        _ = Task.Delay(50).ContinueWith(_ => gate.SetResult(), TaskScheduler.Default);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => new ChunkPipeline(inFlight: 4, ahead: 4).RunAsync(
            Step(0), s => Next(s, 30),
            async s =>
            {
                if (s.Run.Progress >= 20)
                {
                    await gate.Task;
                    Interlocked.Increment(ref othersDone);
                }
                return Answer(0);
            },
            (s, _) =>
            {
                if (s.Run.Progress == 10)
                {
                    throw new InvalidOperationException("database down");
                }
                settled.Enqueue(s.Run.Progress);
                return Task.FromResult(true);
            },
            CancellationToken.None));

        Assert.Equal("database down", failure.Message);
        Assert.Equal([0], settled);
        Assert.Equal(2, othersDone);
    }
}
