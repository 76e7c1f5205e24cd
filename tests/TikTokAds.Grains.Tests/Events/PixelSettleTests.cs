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
/// Settling delivered requests overlaps the next request's trip to TikTok, and a settle the store cannot take
/// loses nothing: the events stay waiting in the store and come back into the buffer.
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
            return Task.FromResult(new TikTokResponse<JsonElement>(0, "OK", $"req-{_settledWhenSent.Count}", 200, TikTokOutcome.Success, default));
        }, new PixelOptions(), new TikTokAds.Testing.ManualTimeProvider(Now), Metrics, NullLogger.Instance);
    }

    [Fact]
    public async Task The_next_request_goes_while_the_last_one_is_being_settled_and_the_flush_ends_after_every_settle()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 3000).Select(Event)], Now, default);
        _gate.Hold = new TaskCompletionSource();

        var flush = _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);
        await WaitUntil(() => _settledWhenSent.Count == 3);

        Assert.Equal([0, 0, 0], _settledWhenSent);
        Assert.False(flush.IsCompleted);
        _gate.Hold.SetResult();
        await flush;
        Assert.Equal(3, _gate.Settled);
        Assert.Equal(3000, (await _inner.CountByStatusAsync(Key, default))[EventStatuses.Delivered]);
        Assert.Equal(["req-1", "req-2", "req-3"], (await _inner.RequestsAsync(Key, new RequestLogQuery(), default)).Select(r => r.RequestId).Reverse());
    }

    [Fact]
    public async Task A_settle_the_store_refuses_leaves_the_events_waiting_there_and_the_buffer_reads_them_back()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 2500).Select(Event)], Now, default);
        _gate.FailNext = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default));

        Assert.Equal(0, _buffer.Count);
        Assert.Equal(2500, (await _inner.CountByStatusAsync(Key, default))[EventStatuses.Accepted]);
        await _buffer.RefillAsync(default);
        Assert.Equal(2500, _buffer.Count);
        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);
        Assert.Equal(2500, (await _inner.CountByStatusAsync(Key, default))[EventStatuses.Delivered]);
        Assert.Equal(6, _settledWhenSent.Count);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

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
