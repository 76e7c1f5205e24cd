using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains.Events;

/// <summary>One pixel's append as a grain asks for it: its events and buyer facts, the time it was taken and its dedup window.</summary>
public sealed record AppendRequest(string PixelKey, IReadOnlyList<NewEvent> Events, IReadOnlyList<BuyerFact> Facts, DateTimeOffset Now, TimeSpan DedupWindow);

/// <summary>
/// Group commit across pixels on one node. Appends that arrive while <c>writesInFlight</c> writes are already
/// running wait, and the next write that frees up carries all of them (up to <c>eventsPerWrite</c> events) in one
/// transaction: many pixels' small appends cost one commit instead of one each. Nobody waits for a timer: while a
/// write slot is free, an append goes at once. Each caller hears its own sequence numbers only after the write
/// holding them has committed, so "stored" still means committed.
/// <para>
/// A write holds at most one append per pixel (a pixel's second append waits for the next write) and only appends
/// with the same dedup window. When a shared write fails for a reason that is not transient (a value the database
/// refuses), each of its appends is written again on its own, so one pixel's bad value fails only that pixel.
/// </para>
/// </summary>
public sealed class AppendCombiner(
    Func<IReadOnlyList<AppendRequest>, Task<IReadOnlyList<IReadOnlyList<long?>>>> write,
    Func<Exception, bool> retryAlone,
    int writesInFlight,
    int eventsPerWrite = AppendCombiner.DefaultEventsPerWrite)
{
    public const int DefaultEventsPerWrite = 2000;

    private readonly List<Pending> _waiting = [];
    private int _running;

    /// <summary>
    /// The sequence number of each event, or null for a duplicate, as <see cref="IEventStore.AppendAsync"/> answers.
    /// Once queued the append is not abandoned: a caller that stops waiting would not know whether its events were
    /// stored, so <paramref name="cancellationToken"/> is only checked before.
    /// </summary>
    public Task<IReadOnlyList<long?>> AppendAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Events.Count == 0 && request.Facts.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long?>>([]);
        }
        var pending = new Pending(request);
        List<Pending>? group = null;
        lock (_waiting)
        {
            _waiting.Add(pending);
            if (_running < writesInFlight)
            {
                _running++;
                group = Take();
            }
        }
        if (group is not null)
        {
            // Off the caller's scheduler: a grain's turn must not carry other grains' writes.
            _ = Task.Run(() => RunAsync(group), CancellationToken.None);
        }
        return pending.Result.Task;
    }

    private async Task RunAsync(List<Pending> group)
    {
        while (true)
        {
            await WriteAsync(group);
            lock (_waiting)
            {
                if (_waiting.Count == 0)
                {
                    _running--;
                    return;
                }
                group = Take();
            }
        }
    }

    private async Task WriteAsync(List<Pending> group)
    {
        try
        {
            var answers = await write([.. group.Select(p => p.Request)]);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Result.TrySetResult(answers[i]);
            }
        }
        catch (Exception exception) when (group.Count > 1 && retryAlone(exception))
        {
            foreach (var pending in group)
            {
                await WriteAsync([pending]);
            }
        }
        catch (Exception exception)
        {
            foreach (var pending in group)
            {
                pending.Result.TrySetException(exception);
            }
        }
    }

    /// <summary>The oldest waiting append, and the others that may share its write, in arrival order. Called under the lock.</summary>
    private List<Pending> Take()
    {
        var head = _waiting[0];
        _waiting.RemoveAt(0);
        var group = new List<Pending> { head };
        var events = head.Request.Events.Count;
        HashSet<string>? pixels = null;
        for (var i = 0; i < _waiting.Count && events < eventsPerWrite;)
        {
            var next = _waiting[i].Request;
            if (next.DedupWindow == head.Request.DedupWindow && events + next.Events.Count <= eventsPerWrite
                && (pixels ??= new HashSet<string>(StringComparer.Ordinal) { head.Request.PixelKey }).Add(next.PixelKey))
            {
                group.Add(_waiting[i]);
                events += next.Events.Count;
                _waiting.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }
        return group;
    }

    private sealed class Pending(AppendRequest request)
    {
        public AppendRequest Request { get; } = request;

        // Grains continue on their own schedulers, not on the writer's thread.
        public TaskCompletionSource<IReadOnlyList<long?>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
