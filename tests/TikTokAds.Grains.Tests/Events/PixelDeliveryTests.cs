using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Events;

/// <summary>A pixel's intake and sending, without a runtime: an in-memory store and a scripted TikTok.</summary>
public sealed class PixelDeliveryTests
{
    private const string Key = "org_test/PIXEL1";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DomainMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
    private readonly InMemoryEventStore _store = new();
    private readonly List<TrackRequest> _sent = [];
    private readonly Queue<TikTokResponse<JsonElement>> _answers = new();
    private readonly PixelBuffer _buffer;
    private readonly PixelIntake _intake;
    private readonly PixelSender _sender;

    public PixelDeliveryTests()
    {
        _buffer = new PixelBuffer(_store, Key, 100_000);
        _intake = new PixelIntake(_store, _buffer, TimeSpan.FromHours(48), Metrics);
        var clock = new TikTokAds.Testing.ManualTimeProvider(Now);
        _sender = new PixelSender(_store, (request, _) =>
        {
            _sent.Add(request);
            return Task.FromResult(_answers.TryDequeue(out var answer) ? answer : Answer(0, TikTokOutcome.Success));
        }, new PixelOptions(), clock, Metrics, NullLogger.Instance);
    }

    [Fact]
    public async Task A_second_copy_in_the_same_request_is_a_duplicate_and_only_the_first_is_stored()
    {
        var outcomes = await _intake.AcceptAsync(Key, [Event(1), Event(1)], Now, default);

        Assert.Equal([EventStatuses.Accepted, EventStatuses.Duplicate], outcomes.Select(o => o.Status));
        Assert.Equal(1, (await _store.CountByStatusAsync(Key, default))[EventStatuses.Accepted]);
        Assert.Equal(1, _intake.NewDuplicates);
    }

    [Fact]
    public async Task A_retry_within_the_window_is_a_duplicate_and_is_not_buffered_again()
    {
        await _intake.AcceptAsync(Key, [Event(1)], Now, default);

        var retry = await _intake.AcceptAsync(Key, [Event(1)], Now.AddHours(47), default);

        Assert.Equal(EventStatuses.Duplicate, retry[0].Status);
        Assert.Equal(1, _buffer.Count);
    }

    [Fact]
    public async Task An_event_without_consent_is_stored_as_skipped_and_never_buffered()
    {
        var outcomes = await _intake.AcceptAsync(Key, [Event(1) with { SkipReason = "no consent" }], Now, default);

        Assert.Equal(EventStatuses.Skipped, outcomes[0].Status);
        Assert.Equal(0, _buffer.Count);
    }

    [Fact]
    public async Task A_flush_sends_batches_of_at_most_a_thousand_and_marks_them_delivered()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 2500).Select(Event)], Now, default);

        var result = await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);

        Assert.Equal([1000, 1000, 500], _sent.Select(r => r.Data.Count));
        Assert.True(result.Sent);
        Assert.Equal(0, _buffer.Count);
        Assert.Equal(2500, (await _store.CountByStatusAsync(Key, default))[EventStatuses.Delivered]);
    }

    [Fact]
    public async Task The_request_budget_stops_a_flush_and_leaves_the_rest_waiting()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 5000).Select(Event)], Now, default);

        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(requestsPerSecond: 2), Start, default);

        Assert.Equal(2, _sent.Count);
        Assert.Equal(3000, _buffer.Count);
    }

    [Fact]
    public async Task A_refused_batch_is_failed_for_good_and_the_next_batch_still_goes()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 1500).Select(Event)], Now, default);
        _answers.Enqueue(Answer(40002, TikTokOutcome.InvalidRequest));

        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);

        var counts = await _store.CountByStatusAsync(Key, default);
        Assert.Equal(1000, counts[EventStatuses.Failed]);
        Assert.Equal(500, counts[EventStatuses.Delivered]);
    }

    [Fact]
    public async Task A_throttle_keeps_the_events_and_backs_off_while_a_rejected_token_is_reported()
    {
        await _intake.AcceptAsync(Key, [Event(1)], Now, default);
        var budget = Budget();
        _answers.Enqueue(Answer(40100, TikTokOutcome.Throttled));

        var throttled = await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, budget, Start, default);
        _answers.Enqueue(Answer(TikTokCodes.TokenInvalid, TikTokOutcome.Authorization));
        var rejected = await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), throttled, default);

        Assert.Equal(1, throttled.ConsecutiveFailures);
        Assert.Null(throttled.TokenRejected);
        Assert.True(budget.BackoffUntil > Now);
        Assert.Equal(1, _buffer.Count);
        Assert.Equal(2, rejected.ConsecutiveFailures);
        Assert.Equal(TikTokCodes.TokenInvalid, rejected.TokenRejected?.Code);
    }

    [Fact]
    public void Back_off_grows_with_each_failure_and_stops_at_the_cap()
    {
        var options = new PixelOptions();

        Assert.Equal(options.ThrottleBackoff, _sender.Backoff(TikTokOutcome.Throttled, 1));
        Assert.Equal(options.FailureBackoff * 4, _sender.Backoff(TikTokOutcome.Transient, 3));
        Assert.Equal(options.MaxBackoff, _sender.Backoff(TikTokOutcome.Transient, 40));
    }

    [Fact]
    public async Task A_disconnected_pixel_fails_what_it_still_holds()
    {
        await _intake.AcceptAsync(Key, [Event(1), Event(2)], Now, default);

        var given = await _sender.GiveUpAsync(Key, _buffer, default);

        Assert.Equal(2, given);
        Assert.Equal(2, (await _store.CountByStatusAsync(Key, default))[EventStatuses.Failed]);
    }

    private static FlushResult Start => new(false, 0, null, null, null);

    private static RateBudget Budget(int requestsPerSecond = 10) => new(requestsPerSecond, 50_000, RateBudget.DefaultWindow);

    private static TikTokResponse<JsonElement> Answer(int code, TikTokOutcome outcome) => new(code, code == 0 ? "OK" : "refused", "req", 200, outcome, default);

    private static PixelEvent Event(int i) => new(
        "CompletePayment", $"completepayment_{i}", "web",
        new EventPayload("CompletePayment", Now.ToUnixTimeSeconds(), $"completepayment_{i}", new EventUserData("a1b2", null, null, null, null, null, null, null), null, null, null, null),
        null);
}
