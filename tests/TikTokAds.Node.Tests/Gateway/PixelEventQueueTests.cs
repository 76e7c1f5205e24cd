using TikTokAds.Contracts.Alerts;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Group commit at the gateway, against a pixel grain whose calls the test holds open.</summary>
public sealed class PixelEventQueueTests
{
    private readonly HeldPixel _pixel = new();

    private PixelEventQueue NewQueue() => new((_, _) => _pixel);

    private static PixelEvent Event(string id) => new("CompletePayment", id, "web",
        new EventPayload("CompletePayment", 1_795_300_000, id, null, null, null, null, null), null);

    [Fact]
    public async Task Requests_arriving_while_a_call_is_in_flight_go_together_in_the_next_call_and_each_hears_its_own_outcome()
    {
        var queue = NewQueue();

        var first = queue.AcceptAsync("org_a", "PX", [Event("e0")]);
        var waiting = Enumerable.Range(1, 5).Select(i => queue.AcceptAsync("org_a", "PX", [Event($"e{i}")])).ToList();
        var batch = queue.AcceptAsync("org_a", "PX", [Event("b1"), Event("b2")]);
        _pixel.Release();
        var outcomes = await Task.WhenAll(waiting.Append(first).Append(batch).Select(t => t.WaitAsync(TimeSpan.FromSeconds(10))));

        Assert.Equal([["e0"], ["e1", "e2", "e3", "e4", "e5", "b1", "b2"]], _pixel.Calls.Select(c => c.Select(e => e.EventId).ToArray()));
        Assert.Equal(["e1", "e2", "e3", "e4", "e5"], outcomes.Take(5).Select(o => o.Single().EventId));
        Assert.Equal("e0", outcomes[5].Single().EventId);
        Assert.Equal(["b1", "b2"], outcomes[6].Select(o => o.EventId));
    }

    [Fact]
    public async Task A_call_carries_at_most_a_thousand_events_unless_one_request_alone_is_bigger()
    {
        var queue = NewQueue();

        var first = queue.AcceptAsync("org_a", "PX", [Event("first")]);
        var big = queue.AcceptAsync("org_a", "PX", [.. Enumerable.Range(0, 900).Select(i => Event($"big{i}"))]);
        var small = Enumerable.Range(0, 150).Select(i => queue.AcceptAsync("org_a", "PX", [Event($"s{i}")])).ToList();
        _pixel.Release();
        await Task.WhenAll(small.Append(first).Append(big).Select(t => t.WaitAsync(TimeSpan.FromSeconds(10))));

        Assert.Equal([1, 1000, 50], _pixel.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task Events_that_fill_a_call_start_it_beside_the_one_in_flight_up_to_two_calls_and_fewer_wait_for_a_call_to_finish()
    {
        var queue = NewQueue();

        var first = queue.AcceptAsync("org_a", "PX", [Event("first")]);
        var full = queue.AcceptAsync("org_a", "PX", [.. Enumerable.Range(0, 1000).Select(i => Event($"full{i}"))]);
        var second = queue.AcceptAsync("org_a", "PX", [.. Enumerable.Range(0, 1000).Select(i => Event($"second{i}"))]);
        var singles = Enumerable.Range(0, 3).Select(i => queue.AcceptAsync("org_a", "PX", [Event($"s{i}")])).ToList();

        // Two calls in flight at once: the pixel grain's accepts interleave, so a batch does not queue behind another's
        // write. The second full batch waits for one of them: a third would only put more writes on the pixel's rows.
        Assert.Equal([1, 1000], _pixel.Calls.Select(c => c.Count));
        Assert.False(second.IsCompleted);
        Assert.DoesNotContain(singles, s => s.IsCompleted);
        _pixel.Release();
        await Task.WhenAll(singles.Append(first).Append(full).Append(second).Select(t => t.WaitAsync(TimeSpan.FromSeconds(10))));

        Assert.Equal([1, 1000, 1000, 3], _pixel.Calls.Select(c => c.Count));
        Assert.Equal("s2", (await singles[2]).Single().EventId);
    }

    [Fact]
    public async Task With_calls_in_flight_the_lane_retires_only_after_the_last_and_a_later_request_still_goes()
    {
        var queue = NewQueue();
        var running = new[] { queue.AcceptAsync("org_a", "PX", [Event("a")]), queue.AcceptAsync("org_a", "PX", [.. Enumerable.Range(0, 1000).Select(i => Event($"b{i}"))]) };
        _pixel.Release();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));

        var later = await queue.AcceptAsync("org_a", "PX", [Event("later")]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("later", later.Single().EventId);
        Assert.Equal([1, 1000, 1], _pixel.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task When_the_call_fails_every_request_in_it_fails_and_the_next_requests_still_go()
    {
        var queue = NewQueue();
        var first = queue.AcceptAsync("org_a", "PX", [Event("e0")]);
        var joined = new[] { queue.AcceptAsync("org_a", "PX", [Event("e1")]), queue.AcceptAsync("org_a", "PX", [Event("e2")]) };
        _pixel.FailingCall = 2;
        _pixel.Release();

        await first.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var request in joined)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => request.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        var later = await queue.AcceptAsync("org_a", "PX", [Event("e3")]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("e3", later.Single().EventId);
        Assert.Equal(3, _pixel.Calls.Count);
    }

    [Fact]
    public async Task Pixels_do_not_wait_for_each_other()
    {
        var queue = NewQueue();
        var blocked = queue.AcceptAsync("org_a", "PX", [Event("held")]);

        var other = new HeldPixel();
        other.Release();
        var separate = new PixelEventQueue((_, pixel) => pixel == "PX" ? _pixel : other);
        var held = separate.AcceptAsync("org_a", "PX", [Event("held2")]);
        var free = await separate.AcceptAsync("org_a", "PY", [Event("free")]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("free", free.Single().EventId);
        Assert.False(blocked.IsCompleted);
        Assert.False(held.IsCompleted);
        _pixel.Release();
        await Task.WhenAll(blocked, held).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Accepts everything; its first call waits until <see cref="Release"/>.</summary>
    private sealed class HeldPixel : IPixelGrain
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<IReadOnlyList<PixelEvent>> Calls { get; } = [];

        /// <summary>The call (counted from 1) that throws, as a failed write would.</summary>
        public int FailingCall { get; set; }

        public void Release() => _gate.TrySetResult();

        public async Task<IReadOnlyList<EventOutcome>> AcceptAsync(IReadOnlyList<PixelEvent> events, CancellationToken cancellationToken = default)
        {
            int call;
            lock (Calls)
            {
                Calls.Add(events);
                call = Calls.Count;
            }
            await _gate.Task;
            if (call == FailingCall)
            {
                throw new InvalidOperationException("storage failed");
            }
            return [.. events.Select(e => new EventOutcome(e.EventId, EventStatuses.Accepted, 0, "Accepted"))];
        }

        public Task ConfigureAsync(ConnectionSecret connection, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<EventOutcome> SendTestAsync(PixelEvent pixelEvent, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<EventStatusView>> GetEventAsync(string eventId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<EventStatusView>> GetLatestAsync(int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<PixelStatusView> GetStatusAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<DeadLetterView>> GetDeadLettersAsync(DeadLetterQuery query, bool includePayload, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ReplayResult> ReplayAsync(ReplayRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<RequestLogView>> GetRequestsAsync(RequestLogQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<PixelBacklog> GetBacklogAsync() => throw new NotSupportedException();
        public Task<DisconnectResult> DisconnectAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
