using System.Reflection;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Events;

/// <summary>The buffer's order once the store holds events it could not take, and reloads that overlap accepts.</summary>
public sealed class PixelBufferTests
{
    private const string Key = "org_buffer/PIXEL1";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryEventStore _store = new();

    [Fact]
    public async Task Once_the_store_holds_events_the_buffer_lacks_newer_ones_wait_behind_them_until_a_reload()
    {
        var buffer = new PixelBuffer(_store, Key, capacity: 2);
        var stored = await StoreAsync(1, 2, 3);
        foreach (var item in stored)
        {
            buffer.Add(item);
        }
        buffer.Remove([.. buffer.Events]);
        var newer = await StoreAsync(4);
        buffer.Add(newer[0]);

        Assert.Equal(0, buffer.Count);
        Assert.True(buffer.RefillDue);
        await buffer.ReloadAsync(default);
        Assert.Equal([stored[0].Seq, stored[1].Seq], buffer.Events.Select(e => e.Seq));
        Assert.True(buffer.MoreInStore);
    }

    [Fact]
    public async Task An_event_a_reload_already_brought_in_is_not_added_again()
    {
        var buffer = new PixelBuffer(_store, Key, capacity: 10);
        var stored = await StoreAsync(1, 2);
        buffer.Add(stored[0]);

        // The reload finds both stored events; an accept that hears of the second only afterwards adds nothing.
        await buffer.ReloadAsync(default);
        buffer.Add(stored[1]);

        Assert.Equal(stored.Select(e => e.Seq), buffer.Events.Select(e => e.Seq));
        Assert.False(buffer.MoreInStore);
    }

    [Fact]
    public async Task An_event_left_in_the_store_while_a_reload_reads_it_is_read_on_the_next_reload()
    {
        var held = DispatchProxy.Create<IEventStore, HeldLoad>();
        ((HeldLoad)held).Inner = _store;
        var buffer = new PixelBuffer(held, Key, capacity: 2);
        var stored = await StoreAsync(1, 2, 3);
        foreach (var item in stored)
        {
            buffer.Add(item);
        }
        await SettleAsync(buffer);

        // The reload reads the store (event 3) before event 4 is stored; event 4 reaches the buffer during the read,
        // and is left in the store behind event 3.
        var gate = ((HeldLoad)held).Hold = new TaskCompletionSource();
        var reload = buffer.ReloadAsync(default);
        var newer = await StoreAsync(4);
        buffer.Add(newer[0]);
        gate.SetResult();
        await reload;

        Assert.Equal([stored[2].Seq], buffer.Events.Select(e => e.Seq));
        Assert.True(buffer.MoreInStore);
        await SettleAsync(buffer);
        await buffer.ReloadAsync(default);
        Assert.Equal([newer[0].Seq], buffer.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_sent_batch_leaves_the_buffer_whether_it_is_the_head_a_later_run_or_scattered()
    {
        var buffer = new PixelBuffer(_store, Key, capacity: 10);
        var stored = await StoreAsync(1, 2, 3, 4, 5, 6, 7, 8);
        foreach (var item in stored)
        {
            buffer.Add(item);
        }

        // A second request answered before the first: its batch follows the head.
        buffer.Remove([stored[2], stored[3]]);
        Assert.Equal(Seqs(stored, 0, 1, 4, 5, 6, 7), buffer.Events.Select(e => e.Seq));
        // The head itself.
        buffer.Remove([stored[0], stored[1]]);
        Assert.Equal(Seqs(stored, 4, 5, 6, 7), buffer.Events.Select(e => e.Seq));
        // A batch of one event_source skips the other source's events between them; one that starts at the head but
        // is not all of it takes only its own.
        buffer.Remove([stored[4], stored[6]]);
        Assert.Equal(Seqs(stored, 5, 7), buffer.Events.Select(e => e.Seq));
        buffer.Remove([stored[5]]);
        Assert.Equal(Seqs(stored, 7), buffer.Events.Select(e => e.Seq));
        buffer.Remove([stored[7]]);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public async Task An_append_committed_after_a_later_one_is_merged_in_by_seq_and_what_a_reload_brought_in_is_not_added_twice()
    {
        var buffer = new PixelBuffer(_store, Key, capacity: 10);
        var stored = await StoreAsync(1, 2, 3, 4, 5, 6);
        // Two accepts of one pixel interleave: the second drew seqs 3-4 and 6 after the first drew 1-2 and 5, and
        // committed first. A reload had meanwhile brought event 2 in.
        buffer.Add([stored[1]]);
        buffer.Add([stored[2], stored[3], stored[5]]);
        buffer.Add([stored[0], stored[1], stored[4]]);

        Assert.Equal(Seqs(stored, 0, 1, 2, 3, 4, 5), buffer.Events.Select(e => e.Seq));
        Assert.False(buffer.MoreInStore);
        buffer.Remove([stored[0], stored[1]]);
        Assert.Equal(Seqs(stored, 2, 3, 4, 5), buffer.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task Merged_past_its_capacity_the_buffer_keeps_the_oldest_and_leaves_the_newest_to_the_store()
    {
        var buffer = new PixelBuffer(_store, Key, capacity: 3);
        var stored = await StoreAsync(1, 2, 3, 4, 5);
        buffer.Add([stored[2], stored[4]]);
        buffer.Add([stored[0], stored[1], stored[3]]);

        Assert.Equal(Seqs(stored, 0, 1, 2), buffer.Events.Select(e => e.Seq));
        Assert.True(buffer.MoreInStore);
        // Behind what waits in the store, nothing newer joins the buffer until it drains and reloads.
        buffer.Add([.. await StoreAsync(6)]);
        Assert.Equal(3, buffer.Count);
        await SettleAsync(buffer);
        await buffer.ReloadAsync(default);
        Assert.Equal(["e4", "e5", "e6"], buffer.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task Events_a_reload_brought_in_while_their_append_was_under_way_are_not_added_again_once_sent()
    {
        var buffer = new PixelBuffer(_store, Key, capacity: 10);
        buffer.ReloadWhenDrained();
        buffer.AppendStarted();
        // The append's first half commits; the drained buffer reloads it, and a flush sends it and takes it out.
        var stored = await StoreAsync(1, 2);
        await buffer.ReloadAsync(default);
        var reloaded = buffer.Count;
        await SettleAsync(buffer);
        // The append answers: what the flush already sent stays out; the rest of the append goes in.
        var rest = await StoreAsync(3);
        buffer.Add([.. stored, .. rest]);
        buffer.AppendEnded();

        Assert.Equal(2, reloaded);
        Assert.Equal([rest[0].Seq], buffer.Events.Select(e => e.Seq));
    }

    private static long[] Seqs(IReadOnlyList<BufferedEvent> stored, params int[] indexes) => [.. indexes.Select(i => stored[i].Seq)];

    /// <summary>What a flush does with the buffer's events, as far as the buffer and the store can tell: they leave both.</summary>
    private async Task SettleAsync(PixelBuffer buffer)
    {
        await _store.MarkFailedAsync(Key, [.. buffer.Events.Select(e => e.Seq)], 40002, "refused", null, Now, default);
        buffer.Remove([.. buffer.Events]);
    }

    private async Task<IReadOnlyList<BufferedEvent>> StoreAsync(params int[] ids)
    {
        var events = ids.Select(i => new NewEvent("CompletePayment", $"e{i}", "web", null, TrackEventJson.From(new TrackEvent { Event = "CompletePayment", EventTime = 1_795_300_000, EventId = $"e{i}" }), EventStatuses.Accepted, null)).ToList();
        var seqs = await _store.AppendAsync(Key, events, [], Now, TimeSpan.FromHours(48), default);
        return [.. events.Select((e, i) => new BufferedEvent(seqs[i]!.Value, e.EventName, e.EventId, e.EventSource, null, e.Payload, Now))];
    }

    /// <summary>The in-memory store, whose LoadPendingAsync reads at once and answers when the test releases it.</summary>
    public class HeldLoad : DispatchProxy
    {
        public IEventStore Inner { get; set; } = null!;
        public TaskCompletionSource? Hold { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(Inner, args);
            return targetMethod.Name == nameof(IEventStore.LoadPendingAsync) && Hold is { } hold
                ? AnswerLaterAsync((Task<IReadOnlyList<BufferedEvent>>)result!, hold.Task)
                : result;
        }

        private static async Task<IReadOnlyList<BufferedEvent>> AnswerLaterAsync(Task<IReadOnlyList<BufferedEvent>> read, Task hold)
        {
            var events = await read;
            await hold;
            return events;
        }
    }
}
