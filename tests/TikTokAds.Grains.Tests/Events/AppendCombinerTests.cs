using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Events;

/// <summary>
/// Group commit across pixels: what waits while the write slots are taken goes together in the next write, and
/// each caller hears only its own answers, only once that write is done.
/// </summary>
public sealed class AppendCombinerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(48);

    private static AppendRequest Append(string pixel, int events, TimeSpan? window = null, int first = 0, string name = "Purchase") => new(
        pixel,
        [.. Enumerable.Range(first, events).Select(i => new NewEvent(name, $"{pixel}-{i}", "web", null, TrackEventJson.From(new TrackEvent { Event = "Purchase", EventTime = 1 }), EventStatuses.Accepted, null))],
        [],
        Now,
        window ?? Window);

    /// <summary>A database stand-in: each write waits until the test lets it go, then answers seq = its write number × 1,000 + the row's place.</summary>
    private sealed class GatedWrites
    {
        private readonly List<(IReadOnlyList<AppendRequest> Requests, TaskCompletionSource Gate)> _writes = [];

        public Func<AppendRequest, bool> Refuses { get; init; } = _ => false;

        public Exception Refusal { get; init; } = new InvalidDataException("refused");

        public IReadOnlyList<IReadOnlyList<AppendRequest>> Writes
        {
            get
            {
                lock (_writes)
                {
                    return [.. _writes.Select(w => w.Requests)];
                }
            }
        }

        public async Task<IReadOnlyList<IReadOnlyList<long?>>> WriteAsync(IReadOnlyList<AppendRequest> requests)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int number;
            lock (_writes)
            {
                _writes.Add((requests, gate));
                number = _writes.Count;
            }
            await gate.Task;
            if (requests.Any(Refuses))
            {
                throw Refusal;
            }
            var row = 0;
            return [.. requests.Select(r => (IReadOnlyList<long?>)[.. r.Events.Select(_ => (long?)((number * 1000) + row++))])];
        }

        public async Task WaitForWritesAsync(int count)
        {
            for (var i = 0; i < 2000 && Writes.Count < count; i++)
            {
                await Task.Delay(5);
            }
            Assert.True(Writes.Count >= count, $"expected {count} writes, saw {Writes.Count}");
        }

        public void Release(int write)
        {
            lock (_writes)
            {
                _writes[write].Gate.TrySetResult();
            }
        }

        public void ReleaseAll()
        {
            lock (_writes)
            {
                foreach (var (_, gate) in _writes)
                {
                    gate.TrySetResult();
                }
            }
        }
    }

    [Fact]
    public async Task Appends_that_arrive_while_the_write_slot_is_taken_go_together_in_the_next_write_and_each_hears_its_own_answers()
    {
        var writes = new GatedWrites();
        var combiner = new AppendCombiner(writes.WriteAsync, _ => false, writesInFlight: 1);

        var first = combiner.AppendAsync(Append("org/a", 2), default);
        await writes.WaitForWritesAsync(1);
        var waiting = new[] { combiner.AppendAsync(Append("org/b", 1), default), combiner.AppendAsync(Append("org/c", 3), default), combiner.AppendAsync(Append("org/d", 2), default) };
        Assert.False(first.IsCompleted);
        Assert.DoesNotContain(waiting, t => t.IsCompleted);

        writes.Release(0);
        Assert.Equal([1000L, 1001L], (await first).Select(s => s!.Value));
        await writes.WaitForWritesAsync(2);
        Assert.DoesNotContain(waiting, t => t.IsCompleted);
        writes.Release(1);

        Assert.Equal([2000L], (await waiting[0]).Select(s => s!.Value));
        Assert.Equal([2001L, 2002L, 2003L], (await waiting[1]).Select(s => s!.Value));
        Assert.Equal([2004L, 2005L], (await waiting[2]).Select(s => s!.Value));
        Assert.Equal(["org/b", "org/c", "org/d"], writes.Writes[1].Select(r => r.PixelKey));
        Assert.Equal(2, writes.Writes.Count);
    }

    [Fact]
    public async Task A_lone_append_goes_at_once_and_a_second_write_starts_beside_a_running_one_only_once_what_waits_makes_a_quarter_of_one()
    {
        var writes = new GatedWrites();
        var combiner = new AppendCombiner(writes.WriteAsync, _ => false, writesInFlight: 2, eventsPerWrite: 40);

        var a = combiner.AppendAsync(Append("org/a", 1), default);
        await writes.WaitForWritesAsync(1);
        // Small appends gather behind the running write instead of going beside it nearly empty.
        var b = combiner.AppendAsync(Append("org/b", 3), default);
        var c = combiner.AppendAsync(Append("org/c", 3), default);
        await Task.Delay(50);
        Assert.Single(writes.Writes);

        // Once what waits makes a quarter of a write (10 of 40 events), the second slot takes it at once.
        var d = combiner.AppendAsync(Append("org/d", 4), default);
        await writes.WaitForWritesAsync(2);
        Assert.Equal(["org/b", "org/c", "org/d"], writes.Writes[1].Select(r => r.PixelKey));

        // With both running, a small append waits; the second write ends first and leaves it to the one still running.
        var e = combiner.AppendAsync(Append("org/e", 1), default);
        writes.Release(1);
        await Task.WhenAll(b, c, d);
        await Task.Delay(50);
        Assert.Equal(2, writes.Writes.Count);
        Assert.False(e.IsCompleted);
        writes.Release(0);
        await a;
        await writes.WaitForWritesAsync(3);
        Assert.Equal(["org/e"], writes.Writes[2].Select(r => r.PixelKey));
        writes.Release(2);
        await e;
    }

    [Fact]
    public async Task A_pixels_second_append_and_an_append_with_another_window_wait_for_a_write_of_their_own()
    {
        var writes = new GatedWrites();
        var combiner = new AppendCombiner(writes.WriteAsync, _ => false, writesInFlight: 1);

        var first = combiner.AppendAsync(Append("org/a", 1), default);
        await writes.WaitForWritesAsync(1);
        var waiting = new[]
        {
            combiner.AppendAsync(Append("org/b", 1), default),
            combiner.AppendAsync(Append("org/b", 1), default),
            combiner.AppendAsync(Append("org/c", 1, TimeSpan.Zero), default),
            combiner.AppendAsync(Append("org/d", 1), default),
        };
        writes.Release(0);
        for (var write = 1; write <= 3; write++)
        {
            await writes.WaitForWritesAsync(write + 1);
            writes.Release(write);
        }
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal(4, writes.Writes.Count);
        Assert.Equal(["org/b", "org/d"], writes.Writes[1].Select(r => r.PixelKey));
        Assert.Equal(["org/b"], writes.Writes[2].Select(r => r.PixelKey));
        Assert.Equal(["org/c"], writes.Writes[3].Select(r => r.PixelKey));
        Assert.Equal(TimeSpan.Zero, writes.Writes[3][0].DedupWindow);
    }

    [Fact]
    public async Task A_pixels_appends_share_a_write_unless_an_event_is_in_both_and_each_hears_its_own_seqs()
    {
        var writes = new GatedWrites();
        var combiner = new AppendCombiner(writes.WriteAsync, _ => false, writesInFlight: 1);

        var first = combiner.AppendAsync(Append("org/a", 1), default);
        await writes.WaitForWritesAsync(1);
        // A pixel's interleaved accepts: two with their own events, and a third that repeats one of the second's.
        var own = combiner.AppendAsync(Append("org/b", 2), default);
        var other = combiner.AppendAsync(Append("org/b", 2, first: 2), default);
        var repeat = combiner.AppendAsync(Append("org/b", 1, first: 3), default);
        // The same id under another event name is another event (TikTok's key is the pair).
        var otherName = combiner.AppendAsync(Append("org/b", 1, first: 3, name: "ViewContent"), default);
        writes.Release(0);
        await writes.WaitForWritesAsync(2);
        writes.Release(1);
        await writes.WaitForWritesAsync(3);
        writes.Release(2);
        await Task.WhenAll(first, own, other, repeat, otherName);

        Assert.Equal(3, writes.Writes.Count);
        Assert.Equal([["org/b-0", "org/b-1"], ["org/b-2", "org/b-3"], ["org/b-3"]], writes.Writes[1].Select(r => r.Events.Select(e => e.EventId)));
        Assert.Equal("ViewContent", writes.Writes[1][2].Events[0].EventName);
        Assert.Equal(["org/b-3"], Assert.Single(writes.Writes[2]).Events.Select(e => e.EventId));
        Assert.Equal<long?>([2000, 2001], await own);
        Assert.Equal<long?>([2002, 2003], await other);
        Assert.Equal<long?>([3000], await repeat);
        Assert.Equal<long?>([2004], await otherName);
    }

    [Fact]
    public async Task A_write_stops_taking_appends_at_its_event_limit()
    {
        var writes = new GatedWrites();
        var combiner = new AppendCombiner(writes.WriteAsync, _ => false, writesInFlight: 1, eventsPerWrite: 10);

        var first = combiner.AppendAsync(Append("org/a", 1), default);
        await writes.WaitForWritesAsync(1);
        var waiting = new[] { combiner.AppendAsync(Append("org/b", 6), default), combiner.AppendAsync(Append("org/c", 6), default), combiner.AppendAsync(Append("org/d", 4), default) };
        writes.Release(0);
        await writes.WaitForWritesAsync(2);
        writes.Release(1);
        await writes.WaitForWritesAsync(3);
        writes.Release(2);
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal(["org/b", "org/d"], writes.Writes[1].Select(r => r.PixelKey));
        Assert.Equal(["org/c"], writes.Writes[2].Select(r => r.PixelKey));
    }

    [Fact]
    public async Task When_a_shared_write_is_refused_each_append_is_written_alone_and_only_the_bad_one_fails()
    {
        var writes = new GatedWrites { Refuses = r => r.PixelKey == "org/bad" };
        var combiner = new AppendCombiner(writes.WriteAsync, e => e is InvalidDataException, writesInFlight: 1);

        var first = combiner.AppendAsync(Append("org/a", 1), default);
        await writes.WaitForWritesAsync(1);
        var good = combiner.AppendAsync(Append("org/b", 1), default);
        var bad = combiner.AppendAsync(Append("org/bad", 1), default);
        var other = combiner.AppendAsync(Append("org/c", 1), default);
        for (var write = 0; write < 5; write++)
        {
            await writes.WaitForWritesAsync(write + 1);
            writes.Release(write);
        }

        await first;
        Assert.Single(await good);
        Assert.Single(await other);
        await Assert.ThrowsAsync<InvalidDataException>(() => bad);
        Assert.Equal(3, writes.Writes[1].Count);
        Assert.Equal(["org/b", "org/bad", "org/c"], writes.Writes.Skip(2).Select(w => Assert.Single(w).PixelKey));
    }

    [Fact]
    public async Task A_shared_write_that_fails_for_a_passing_reason_fails_every_append_in_it_and_the_next_write_still_goes()
    {
        var writes = new GatedWrites { Refuses = r => r.PixelKey != "org/after", Refusal = new TimeoutException("database away") };
        var combiner = new AppendCombiner(writes.WriteAsync, e => e is InvalidDataException, writesInFlight: 1);

        var first = combiner.AppendAsync(Append("org/a", 1), default);
        await writes.WaitForWritesAsync(1);
        var shared = new[] { combiner.AppendAsync(Append("org/b", 1), default), combiner.AppendAsync(Append("org/c", 1), default) };
        writes.Release(0);
        await writes.WaitForWritesAsync(2);
        writes.Release(1);

        await Assert.ThrowsAsync<TimeoutException>(() => first);
        foreach (var append in shared)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => append);
        }
        Assert.Equal(2, writes.Writes.Count);

        var after = combiner.AppendAsync(Append("org/after", 1), default);
        await writes.WaitForWritesAsync(3);
        writes.Release(2);
        Assert.Single(await after);
    }

    [Fact]
    public async Task An_append_with_nothing_to_store_is_answered_without_a_write_and_a_cancelled_caller_is_refused_before_it_queues()
    {
        var writes = new GatedWrites();
        var combiner = new AppendCombiner(writes.WriteAsync, _ => false, writesInFlight: 1);

        Assert.Empty(await combiner.AppendAsync(Append("org/a", 0), default));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => combiner.AppendAsync(Append("org/a", 1), new CancellationToken(canceled: true)));
        Assert.Empty(writes.Writes);
    }
}
