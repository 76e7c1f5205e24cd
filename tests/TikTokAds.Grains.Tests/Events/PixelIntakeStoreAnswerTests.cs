using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;

namespace TikTokAds.Grains.Tests.Events;

/// <summary>
/// What the intake buffers when the store's answer is not the plain one: its seqs out of the request's order (the
/// PostgreSQL store writes a large append in two parts at once), or an error although the events were stored (their
/// facts failed beside them, or the answer was lost after the commit), after which the client's retry hears them as
/// duplicates and only the store knows they wait.
/// </summary>
public sealed class PixelIntakeStoreAnswerTests
{
    private const string Key = "org_lost/PIXEL1";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly DomainMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
    private readonly InMemoryEventStore _store = new();

    private static PixelEvent View(int i) => new(
        "ViewContent", $"view_{i}", "web", new EventPayload("ViewContent", Now.ToUnixTimeSeconds(), $"view_{i}", null, null, null, null, null), null);

    [Fact]
    public async Task Events_the_store_numbered_in_another_order_than_the_request_enter_the_buffer_in_seq_order()
    {
        var store = StoreAnswers.Around(_store, backwards: true, loseFirst: false);
        var buffer = new PixelBuffer(store, Key, capacity: 100);
        var intake = new PixelIntake(store, buffer, TimeSpan.FromHours(48), Metrics);

        var outcomes = await intake.AcceptAsync(Key, [.. Enumerable.Range(0, 5).Select(View)], Now, default);

        Assert.All(outcomes, o => Assert.Equal(EventStatuses.Accepted, o.Status));
        var pending = await _store.LoadPendingAsync(Key, 10, default);
        // The store numbered view_4 first; the buffer holds the events as the store does, oldest seq first.
        Assert.Equal(["view_4", "view_3", "view_2", "view_1", "view_0"], pending.Select(e => e.EventId));
        Assert.Equal(pending.Select(e => (e.Seq, e.EventId)), buffer.Events.Select(e => (e.Seq, e.EventId)));
    }

    [Fact]
    public async Task Events_stored_by_an_append_whose_answer_was_lost_are_read_back_once_the_buffer_drains_though_the_retry_hears_duplicates()
    {
        var store = StoreAnswers.Around(_store, backwards: false, loseFirst: true);
        var buffer = new PixelBuffer(store, Key, capacity: 100);
        var intake = new PixelIntake(store, buffer, TimeSpan.FromHours(48), Metrics);

        await Assert.ThrowsAsync<TimeoutException>(() => intake.AcceptAsync(Key, [View(1), View(2)], Now, default));
        var retry = await intake.AcceptAsync(Key, [View(1), View(2)], Now.AddSeconds(1), default);

        Assert.All(retry, o => Assert.Equal(EventStatuses.Duplicate, o.Status));
        Assert.Equal(0, buffer.Count);
        Assert.True(buffer.RefillDue);
        await buffer.ReloadAsync(default);
        Assert.Equal(["view_1", "view_2"], buffer.Events.Select(e => e.EventId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_request_repeating_an_event_of_an_append_under_way_waits_for_it_and_stores_only_what_it_did_not(bool firstFails)
    {
        var store = StoreAnswers.Around(_store, backwards: false, loseFirst: false);
        var answers = (StoreAnswers)(object)store;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (answers.HoldFirst, answers.FailFirst) = (release.Task, firstFails);
        var buffer = new PixelBuffer(store, Key, capacity: 100);
        var intake = new PixelIntake(store, buffer, TimeSpan.FromHours(48), Metrics);

        // The pixel's accepts interleave: the second request comes while the first is being written.
        var first = intake.AcceptAsync(Key, [View(1), View(2)], Now, default);
        var second = intake.AcceptAsync(Key, [View(2), View(3)], Now, default);
        var appendsWhileHeld = answers.Appends;
        var secondAnsweredBefore = second.IsCompleted;
        release.SetResult();
        var firstFailed = await first.ContinueWith(t => t.IsFaulted);
        var secondOutcomes = await second;

        Assert.Equal(1, appendsWhileHeld);
        Assert.False(secondAnsweredBefore);
        Assert.Equal(firstFails, firstFailed);
        if (!firstFails)
        {
            Assert.All(await first, o => Assert.Equal(EventStatuses.Accepted, o.Status));
        }
        Assert.Equal([firstFails ? EventStatuses.Accepted : EventStatuses.Duplicate, EventStatuses.Accepted], secondOutcomes.Select(o => o.Status));
        string[] pending = firstFails ? ["view_2", "view_3"] : ["view_1", "view_2", "view_3"];
        Assert.Equal(pending, (await _store.LoadPendingAsync(Key, 10, default)).Select(e => e.EventId));
    }

    /// <summary>
    /// The in-memory store, with its appends written in reverse order and answered in the request's, or with its first
    /// append written and then answered with an error, as a connection dropped after the commit would answer.
    /// </summary>
    public class StoreAnswers : DispatchProxy
    {
        private IEventStore _inner = null!;
        private bool _backwards;
        private bool _loseFirst;
        private int _appends;

        /// <summary>When set, the first append waits for it: after it is stored, or before it fails (<see cref="FailFirst"/>).</summary>
        public Task? HoldFirst { get; set; }

        /// <summary>The first append fails without storing anything.</summary>
        public bool FailFirst { get; set; }

        public int Appends => _appends;

        public static IEventStore Around(IEventStore inner, bool backwards, bool loseFirst)
        {
            var proxy = Create<IEventStore, StoreAnswers>();
            var self = (StoreAnswers)(object)proxy;
            (self._inner, self._backwards, self._loseFirst) = (inner, backwards, loseFirst);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name != nameof(IEventStore.AppendAsync))
            {
                return targetMethod.Invoke(_inner, args);
            }
            if (_backwards)
            {
                args![1] = ((IReadOnlyList<NewEvent>)args[1]!).Reverse().ToArray();
            }
            var isFirst = ++_appends == 1;
            return isFirst && FailFirst
                ? FailAsync()
                : AnswerAsync((Task<IReadOnlyList<long?>>)targetMethod.Invoke(_inner, args)!, _loseFirst && isFirst, isFirst ? HoldFirst : null);
        }

        private async Task<IReadOnlyList<long?>> FailAsync()
        {
            await (HoldFirst ?? Task.CompletedTask);
            throw new TimeoutException("The database did not answer.");
        }

        private async Task<IReadOnlyList<long?>> AnswerAsync(Task<IReadOnlyList<long?>> append, bool lose, Task? hold)
        {
            var seqs = await append;
            await (hold ?? Task.CompletedTask);
            return lose ? throw new TimeoutException("The answer was lost after the write.") : _backwards ? [.. seqs.Reverse()] : seqs;
        }
    }
}
