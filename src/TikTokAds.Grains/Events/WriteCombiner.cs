namespace TikTokAds.Grains.Events;

/// <summary>
/// Which requests may share one write: each names its pixel (a write holds at most one request per pixel, so a
/// pixel's second request waits for the next write, unless <see cref="SamePixel"/> lets it join the pixel's requests
/// already in the write) and its row count (a write holds at most <see cref="RowsPerWrite"/> rows, unless one request
/// alone has more); <see cref="Compatible"/> may narrow further. <see cref="StartBesideAt"/> is how many rows must wait
/// before a further write starts beside a running one (0: as soon as a slot is free).
/// </summary>
public sealed record CombineRule<TRequest>(Func<TRequest, string> Pixel, Func<TRequest, int> Rows, int RowsPerWrite, Func<TRequest, TRequest, bool>? Compatible = null, int StartBesideAt = 0, Func<IReadOnlyList<TRequest>, TRequest, bool>? SamePixel = null);

/// <summary>
/// Group commit across pixels on one node. A request that arrives while no write runs goes at once; nobody waits for
/// a timer. One that arrives while <c>writesInFlight</c> writes run waits, and the next write carries all the waiting
/// requests that <see cref="CombineRule{TRequest}"/> lets share it, in one transaction: many pixels' small writes
/// cost one commit instead of one each. A further write starts beside a running one only once
/// <see cref="CombineRule{TRequest}.StartBesideAt"/> rows wait: small writes can then gather behind the running one
/// instead of going in pairs half as full. Each caller hears its own answer only after the write holding it has
/// committed, so "stored" still means committed.
/// <para>
/// When a shared write fails for a reason <c>retryAlone</c> accepts (a value the database refuses, not an outage),
/// each of its requests is written again on its own, so one pixel's bad value fails only that pixel.
/// </para>
/// </summary>
public sealed class WriteCombiner<TRequest, TResult>(
    Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> write,
    Func<Exception, bool> retryAlone,
    int writesInFlight,
    CombineRule<TRequest> rule)
{
    private readonly List<Pending> _waiting = [];
    /// <summary>The rows of the waiting requests (<see cref="CombineRule{TRequest}.StartBesideAt"/>).</summary>
    private int _waitingRows;
    private int _running;

    /// <summary>
    /// The request's own answer, once the write that carried it committed. Once queued the request is not abandoned:
    /// a caller that stops waiting would not know whether it was written, so <paramref name="cancellationToken"/> is
    /// only checked before.
    /// </summary>
    public Task<TResult> WriteAsync(TRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(request);
        List<Pending>? group = null;
        lock (_waiting)
        {
            _waiting.Add(pending);
            _waitingRows += rule.Rows(request);
            if (MayStartWrite(_running))
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
            await WriteGroupAsync(group);
            lock (_waiting)
            {
                // This write is done: with another still running, what waits may be left to that one (StartBesideAt).
                if (_waiting.Count == 0 || !MayStartWrite(_running - 1))
                {
                    _running--;
                    return;
                }
                group = Take();
            }
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
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
                await WriteGroupAsync([pending]);
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

    /// <summary>Whether a write may start (or go on) beside <paramref name="others"/> running ones. Called under the lock.</summary>
    private bool MayStartWrite(int others) => others == 0 || (others < writesInFlight && _waitingRows >= rule.StartBesideAt);

    /// <summary>The oldest waiting request, and the others that may share its write, in arrival order. Called under the lock.</summary>
    private List<Pending> Take()
    {
        var head = _waiting[0];
        _waiting.RemoveAt(0);
        var group = new List<Pending> { head };
        var rows = rule.Rows(head.Request);
        _waitingRows -= rows;
        Dictionary<string, List<TRequest>>? pixels = null;
        for (var i = 0; i < _waiting.Count && rows < rule.RowsPerWrite;)
        {
            var next = _waiting[i].Request;
            var nextRows = rule.Rows(next);
            if (rows + nextRows <= rule.RowsPerWrite && (rule.Compatible?.Invoke(head.Request, next) ?? true)
                && MayJoin(pixels ??= new(StringComparer.Ordinal) { [rule.Pixel(head.Request)] = [head.Request] }, next))
            {
                group.Add(_waiting[i]);
                rows += nextRows;
                _waitingRows -= nextRows;
                _waiting.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }
        return group;
    }

    /// <summary>Whether <paramref name="next"/> may join the write whose requests by pixel are <paramref name="pixels"/>; if so, it is counted in.</summary>
    private bool MayJoin(Dictionary<string, List<TRequest>> pixels, TRequest next)
    {
        var pixel = rule.Pixel(next);
        if (!pixels.TryGetValue(pixel, out var samePixel))
        {
            pixels[pixel] = [next];
            return true;
        }
        if (rule.SamePixel?.Invoke(samePixel, next) != true)
        {
            return false;
        }
        samePixel.Add(next);
        return true;
    }

    private sealed class Pending(TRequest request)
    {
        public TRequest Request { get; } = request;

        // Grains continue on their own schedulers, not on the writer's thread.
        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
