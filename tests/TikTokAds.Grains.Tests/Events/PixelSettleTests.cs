using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Events;

/// <summary>
/// A pixel keeps several requests in flight, and settling delivered requests overlaps the next ones' trips to TikTok.
/// A throttle stops new requests while those in flight come back, and a settle the store cannot take loses nothing:
/// the events stay waiting in the store and come back into the buffer.
/// </summary>
public sealed class PixelSettleTests
{
    private const string Key = "org_test/PIXEL1";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DomainMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
    private readonly InMemoryEventStore _inner = new();
    private readonly SettleGate _gate;
    private readonly PixelBuffer _buffer;
    private readonly PixelIntake _intake;
    private readonly PixelSender _sender;
    private readonly List<int> _settledWhenSent = [];
    private Func<Task<TikTokResponse<JsonElement>>>? _answer;

    public PixelSettleTests()
    {
        var store = DispatchProxy.Create<IEventStore, SettleGate>();
        _gate = (SettleGate)(object)store;
        _gate.Inner = _inner;
        _buffer = new PixelBuffer(store, Key, 100_000);
        _intake = new PixelIntake(store, _buffer, TimeSpan.FromHours(48), Metrics);
        _sender = new PixelSender(store, (request, _) =>
        {
            _settledWhenSent.Add(_gate.Settled);
            return _answer?.Invoke() ?? Task.FromResult(Ok($"req-{_settledWhenSent.Count}"));
        }, new PixelOptions(), new TikTokAds.Testing.ManualTimeProvider(Now), Metrics, NullLogger.Instance);
    }

    [Fact]
    public async Task Four_requests_go_at_once_and_a_throttle_stops_new_ones_while_those_in_flight_come_back()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 6000).Select(Event)], Now, default);
        var answers = HeldAnswers();
        var budget = Budget();

        var flush = _sender.FlushAsync(Key, "PIXEL1", null, _buffer, budget, Start, default);
        await WaitUntil(() => _settledWhenSent.Count == 4);
        Assert.Equal(new PixelOptions().RequestsInFlight, _settledWhenSent.Count);
        answers[0].SetResult(Ok("req-1"));
        await WaitUntil(() => _settledWhenSent.Count == 5);
        answers[1].SetResult(new TikTokResponse<JsonElement>(40100, "Too many requests.", "req-2", 200, TikTokOutcome.Throttled, default));
        await WaitUntil(() => budget.BackoffUntil is not null);
        foreach (var answer in answers.Skip(2))
        {
            answer.SetResult(Ok("req-n"));
        }
        var result = await flush;

        Assert.Equal(5, _settledWhenSent.Count);
        Assert.Equal(4000, (await _inner.CountByStatusAsync(Key, default))[EventStatuses.Delivered]);
        Assert.Equal(2000, _buffer.Count);
        Assert.True(budget.BackoffUntil > Now);
        Assert.Equal(40100, Assert.Single(await _inner.RequestsAsync(Key, new RequestLogQuery(Outcome: "throttled"), default)).Code);
        Assert.True(result.Sent);
    }

    [Fact]
    public async Task After_failures_one_request_probes_before_the_others_go_and_requests_failing_together_are_one_failure()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 6000).Select(Event)], Now, default);
        var answers = HeldAnswers();

        var probing = _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), new FlushResult(false, 2, "TikTok 50000: down", null, null), default);
        await WaitUntil(() => _settledWhenSent.Count == 1);
        await Task.Delay(50);
        Assert.Single(_settledWhenSent);
        answers[0].SetResult(Ok("req-1"));
        await WaitUntil(() => _settledWhenSent.Count == 5);
        foreach (var answer in answers.Skip(1).Take(4))
        {
            answer.SetResult(new TikTokResponse<JsonElement>(50000, "Service unavailable", "req-x", 503, TikTokOutcome.Transient, default));
        }
        var result = await probing;

        Assert.Equal(5, _settledWhenSent.Count);
        Assert.Equal(1, result.ConsecutiveFailures);
        Assert.Equal(5000, _buffer.Count);
    }

    [Fact]
    public async Task The_next_request_goes_while_the_last_one_is_being_settled_the_flush_ends_without_waiting_for_its_settles_and_the_next_flush_waits_for_them()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 3000).Select(Event)], Now, default);
        _gate.Hold = new TaskCompletionSource();

        var flush = _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);
        await WaitUntil(() => _settledWhenSent.Count == 3);
        // The grain is free to take new events while the store marks these delivered.
        await WaitUntil(() => flush.IsCompleted);

        Assert.Equal([0, 0, 0], _settledWhenSent);
        Assert.True((await flush).Sent);
        Assert.False(_sender.Settled.IsCompleted);
        Assert.Equal(0, _gate.Settled);
        // The next flush starts only once these are settled: the store never falls more than a flush behind.
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(3000, 10).Select(Event)], Now, default);
        var next = _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        Assert.Equal(3, _settledWhenSent.Count);
        _gate.Hold.SetResult();
        await next;
        await _sender.Settled;
        Assert.Equal(4, _settledWhenSent.Count);
        Assert.Equal(4, _gate.Settled);
        Assert.Equal(3010, (await _inner.CountByStatusAsync(Key, default))[EventStatuses.Delivered]);
        Assert.Equal(["req-1", "req-2", "req-3", "req-4"], (await _inner.RequestsAsync(Key, new RequestLogQuery(), default)).Select(r => r.RequestId).Reverse());
    }

    [Fact]
    public async Task A_settle_the_store_refuses_leaves_its_events_waiting_there_the_next_settles_still_run_and_the_buffer_reads_them_back()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 2500).Select(Event)], Now, default);
        _gate.FailNext = true;

        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);
        await _sender.Settled;

        // Only the first request's settle failed: the settles after it still ran.
        Assert.Equal(0, _buffer.Count);
        Assert.True(_buffer.MoreInStore);
        var counts = await _inner.CountByStatusAsync(Key, default);
        Assert.Equal(1000, counts[EventStatuses.Accepted]);
        Assert.Equal(1500, counts[EventStatuses.Delivered]);
        await _buffer.ReloadAsync(default);
        Assert.Equal(1000, _buffer.Count);
        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);
        await _sender.Settled;
        Assert.Equal(2500, (await _inner.CountByStatusAsync(Key, default))[EventStatuses.Delivered]);
        Assert.Equal(4, _settledWhenSent.Count);
    }

    /// <summary>From now on TikTok answers only when the test says so; the answers in the order the requests went.</summary>
    private List<TaskCompletionSource<TikTokResponse<JsonElement>>> HeldAnswers()
    {
        var answers = new List<TaskCompletionSource<TikTokResponse<JsonElement>>>();
        _answer = () =>
        {
            var answer = new TaskCompletionSource<TikTokResponse<JsonElement>>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (answers)
            {
                answers.Add(answer);
            }
            return answer.Task;
        };
        return answers;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    private static TikTokResponse<JsonElement> Ok(string requestId) => new(0, "OK", requestId, 200, TikTokOutcome.Success, default);

    private static FlushResult Start => new(false, 0, null, null, null);

    private static RateBudget Budget() => new(10, 50_000, RateBudget.DefaultWindow);

    private static PixelEvent Event(int i) => new(
        "CompletePayment", $"completepayment_{i}", "web",
        new EventPayload("CompletePayment", Now.ToUnixTimeSeconds(), $"completepayment_{i}", new EventUserData("a1b2", null, null, null, null, null, null, null), null, null, null, null),
        null);

    /// <summary>The in-memory store, with MarkDeliveredAsync held behind a gate or failed once on request.</summary>
    public class SettleGate : DispatchProxy
    {
        private int _settled;

        public IEventStore Inner { get; set; } = null!;
        public TaskCompletionSource? Hold { get; set; }
        public bool FailNext { get; set; }
        public int Settled => Volatile.Read(ref _settled);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name != nameof(IEventStore.MarkDeliveredAsync))
            {
                return targetMethod.Invoke(Inner, args);
            }
            if (FailNext)
            {
                FailNext = false;
                return Task.FromException(new InvalidOperationException("The store is down."));
            }
            return SettleAsync((Task)targetMethod.Invoke(Inner, args)!);
        }

        private async Task SettleAsync(Task settle)
        {
            await settle;
            if (Hold is { } hold)
            {
                await hold.Task;
            }
            Interlocked.Increment(ref _settled);
        }
    }
}
