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
    private readonly HashSet<string> _refused = [];
    private bool _namesRefusedIndex;
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
            var bad = request.Data.Select((e, i) => (e, i)).FirstOrDefault(p => _refused.Contains(p.e.Read().EventId!));
            if (bad.e is not null)
            {
                var message = _namesRefusedIndex ? $"data[{bad.i}].event_id is refused." : "An event in this request is refused.";
                return Task.FromResult(new TikTokResponse<JsonElement>(40002, message, $"req-{_sent.Count}", 200, TikTokOutcome.InvalidRequest, default));
            }
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
    public async Task A_batch_refused_as_a_request_is_failed_for_good_and_the_next_batch_still_goes()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 1500).Select(Event)], Now, default);
        _answers.Enqueue(Answer(TikTokCodes.InvalidParameters, TikTokOutcome.InvalidRequest));

        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(), Start, default);

        var counts = await _store.CountByStatusAsync(Key, default);
        Assert.Equal(1000, counts[EventStatuses.Failed]);
        Assert.Equal(500, counts[EventStatuses.Delivered]);
        Assert.Equal([1000, 500], _sent.Select(r => r.Data.Count));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Three_bad_events_in_a_batch_of_1000_are_isolated_and_the_other_997_delivered(bool tikTokNamesTheEvent)
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 1000).Select(Event)], Now, default);
        _refused.UnionWith(["completepayment_17", "completepayment_500", "completepayment_998"]);
        _namesRefusedIndex = tikTokNamesTheEvent;

        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(requestsPerSecond: 1000), Start, default);

        var letters = await _store.DeadLettersAsync(Key, new DeadLetterQuery(), default);
        var delivered = _sent.Where(r => !r.Data.Any(e => _refused.Contains(e.Read().EventId!))).SelectMany(r => r.Data).Select(e => e.Read().EventId).ToList();
        Assert.Equal(["completepayment_17", "completepayment_500", "completepayment_998"], letters.Select(l => l.EventId).Order(StringComparer.Ordinal));
        Assert.All(letters, l => Assert.Equal(40002, l.Code));
        Assert.All(letters, l => Assert.StartsWith("req-", l.RequestId, StringComparison.Ordinal));
        Assert.Equal(997, delivered.Count);
        Assert.Equal(997, delivered.Distinct().Count());
        Assert.Equal(997, (await _store.CountByStatusAsync(Key, default))[EventStatuses.Delivered]);
        Assert.Equal(0, _buffer.Count);
        // Named: one request per bad event plus the last good rest. Halving: about 2·log2(1000) per bad event.
        Assert.InRange(_sent.Count, tikTokNamesTheEvent ? 4 : 10, tikTokNamesTheEvent ? 4 : 70);
    }

    [Fact]
    public async Task Isolating_refused_events_never_takes_more_requests_than_the_budget_allows()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 1000).Select(Event)], Now, default);
        _refused.Add("completepayment_3");

        await _sender.FlushAsync(Key, "PIXEL1", null, _buffer, Budget(requestsPerSecond: 3), Start, default);

        Assert.Equal(3, _sent.Count);
        Assert.Empty(await _store.DeadLettersAsync(Key, new DeadLetterQuery(), default));
        Assert.Equal(1000, _buffer.Count);
    }

    [Fact]
    public async Task Every_request_is_recorded_with_its_answer_and_its_body_can_be_rebuilt_exactly()
    {
        await _intake.AcceptAsync(Key, [.. Enumerable.Range(0, 1200).Select(Event)], Now, default);
        _answers.Enqueue(Answer(40100, TikTokOutcome.Throttled));

        var first = await _sender.FlushAsync(Key, "PIXEL1", "Partner", _buffer, Budget(), Start, default);
        await _sender.FlushAsync(Key, "PIXEL1", "Partner", _buffer, Budget(), first, default);

        var requests = await _store.RequestsAsync(Key, new RequestLogQuery(), default);
        Assert.Equal(["success", "success", "throttled"], requests.Select(r => r.Outcome));
        // Newest first: the first 1,000 went again after the throttle; the 200 were in flight beside them and got through.
        Assert.Equal([1000, 200, 1000], requests.Select(r => r.Seqs.Count));
        Assert.Equal(40100, requests[2].Code);
        var payloads = await _store.PayloadsAsync(Key, [.. requests[1].Seqs], default);
        var view = RequestLog.View(requests[1], "PIXEL1", payloads);
        Assert.Equal(JsonSerializer.Serialize(_sent[1], TikTokJsonContext.Default.TrackRequest), view.Body);
        Assert.Equal(["success"], (await _store.RequestsAsync(Key, new RequestLogQuery(Outcome: "success", Limit: 1), default)).Select(r => r.Outcome));
    }

    [Fact]
    public async Task A_dead_letter_is_replayed_under_its_event_id_unless_tiktok_would_find_it_too_old()
    {
        var old = Event(1) with { Payload = Event(1).Payload with { EventTime = Now.AddDays(-8).ToUnixTimeSeconds() } };
        var offline = Event(2) with { EventSource = "offline", Payload = Event(2).Payload with { EventTime = Now.AddDays(-8).ToUnixTimeSeconds() } };
        await _intake.AcceptAsync(Key, [old, offline, Event(3)], Now, default);
        await _sender.GiveUpAsync(Key, _buffer, default);
        var request = new ReplayRequest(new DeadLetterQuery(EventIds: ["completepayment_1", "completepayment_2", "completepayment_3", "nope"]), TimeSpan.FromDays(7), TimeSpan.FromDays(28));

        var letters = await _store.DeadLettersAsync(Key, request.Selection, default);
        var (replayable, refused) = DeadLetters.Sort(letters, request, Now);
        var revived = await _store.ReviveAsync(Key, [.. replayable.Select(l => l.Seq)], default);
        var again = await _store.ReviveAsync(Key, [.. replayable.Select(l => l.Seq)], default);
        var result = DeadLetters.Result(request.Selection, letters, revived, refused);

        Assert.Equal(["completepayment_2", "completepayment_3"], result.Replayed.Order(StringComparer.Ordinal));
        Assert.Equal("completepayment_1", Assert.Single(result.Refused).EventId);
        Assert.Contains("up to 7 days old", result.Refused[0].Reason, StringComparison.Ordinal);
        Assert.Equal(["nope"], result.NotFound);
        Assert.Empty(again);
        Assert.Equal(2, (await _store.LoadPendingAsync(Key, 10, default)).Count);
        Assert.Single(await _store.DeadLettersAsync(Key, new DeadLetterQuery(), default));
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
