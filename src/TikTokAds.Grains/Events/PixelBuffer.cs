using System.Runtime.InteropServices;

namespace TikTokAds.Grains.Events;

/// <summary>
/// A pixel's waiting events in memory, oldest first: a mirror of its 'accepted' rows, capped so a long
/// outage cannot exhaust memory. Beyond the cap events stay only in the store and come back as the
/// buffer drains.
/// </summary>
public sealed class PixelBuffer(IEventStore store, string pixelKey, int capacity)
{
    private readonly List<BufferedEvent> _events = [];
    /// <summary>How many times the buffer has left events to the store alone; a reload that overlaps one reads again.</summary>
    private int _leftInStore;
    /// <summary>Appends under way (<see cref="AppendStarted"/>), and the seqs a reload brought in while any was.</summary>
    private int _appends;
    private HashSet<long>? _reloadedDuringAppends;
    private static readonly Comparer<BufferedEvent> BySeq = Comparer<BufferedEvent>.Create(static (a, b) => a.Seq.CompareTo(b.Seq));

    public int Count => _events.Count;

    public IReadOnlyList<BufferedEvent> Events => _events;

    /// <summary>The highest seq buffered (the buffer is oldest first), or <see cref="long.MinValue"/> when it is empty.</summary>
    public long NewestSeq => _events.Count == 0 ? long.MinValue : _events[^1].Seq;

    /// <summary>True when the store holds waiting events the buffer could not take.</summary>
    public bool MoreInStore { get; private set; }

    public bool HasWork => _events.Count > 0 || MoreInStore;

    /// <summary>Whether a reload from the store is due: the buffer has drained and the store holds more.</summary>
    public bool RefillDue => _events.Count == 0 && MoreInStore;

    public void Add(BufferedEvent item) => Add([item]);

    /// <summary>
    /// Adds one append's events, in ascending seq order. They usually come after everything buffered. They come
    /// before some of it when another append drew its seqs later but committed first (a pixel's accepts interleave),
    /// or when a replay revives old events: they are then merged in, so the buffer stays oldest first.
    /// </summary>
    public void Add(IReadOnlyList<BufferedEvent> items)
    {
        if (_reloadedDuringAppends is { } reloaded)
        {
            // Already brought in by a reload, and perhaps sent and taken out since.
            items = [.. items.Where(item => !reloaded.Contains(item.Seq))];
        }
        if (items.Count == 0)
        {
            return;
        }
        // Once the store holds events the buffer does not, newer ones wait there too, behind them, until a reload:
        // otherwise a pixel with steady traffic would keep sending new events and never drain to reload the old.
        if (MoreInStore)
        {
            LeaveInStore();
            return;
        }
        if (_events.Count == 0 || items[0].Seq > _events[^1].Seq)
        {
            var taken = Math.Min(items.Count, capacity - _events.Count);
            for (var i = 0; i < taken; i++)
            {
                _events.Add(items[i]);
            }
            if (taken < items.Count)
            {
                LeaveInStore();
            }
            return;
        }
        Merge(items);
    }

    /// <summary>
    /// <paramref name="items"/> merged in by seq, in place from the tail: they are usually newer than all but the last
    /// few buffered. One still buffered (a reload brought it in while its append was committing) is not added again.
    /// Past the capacity the newest wait in the store.
    /// </summary>
    private void Merge(IReadOnlyList<BufferedEvent> items)
    {
        var fresh = items.Where(item => _events.BinarySearch(item, BySeq) < 0).ToList();
        var (i, j) = (_events.Count - 1, fresh.Count - 1);
        _events.AddRange(fresh);
        var events = CollectionsMarshal.AsSpan(_events);
        for (var write = events.Length - 1; j >= 0; write--)
        {
            events[write] = i >= 0 && events[i].Seq > fresh[j].Seq ? events[i--] : fresh[j--];
        }
        if (_events.Count > capacity)
        {
            _events.RemoveRange(capacity, _events.Count - capacity);
            LeaveInStore();
        }
    }

    /// <summary>
    /// Takes <paramref name="batch"/>'s events out. A batch is nearly always the buffer's head (the oldest events, sent
    /// and answered in order): it then goes as one range, without a pass over the up to
    /// <see cref="PixelOptions.MaxBufferedInMemory"/> events behind it.
    /// </summary>
    public void Remove(IReadOnlyList<BufferedEvent> batch)
    {
        if (IsHead(batch))
        {
            _events.RemoveRange(0, batch.Count);
        }
        else
        {
            var sent = batch.Select(e => e.Seq).ToHashSet();
            _events.RemoveAll(e => sent.Contains(e.Seq));
        }
        if (_events.Count == 0)
        {
            Clear();
        }
    }

    /// <summary>Empties the buffer and gives its array back: an idle pixel should not keep room for 1,000 events.</summary>
    public void Clear()
    {
        _events.Clear();
        _events.Capacity = 0;
    }

    /// <summary>
    /// An append is under way: its events may be stored, in part (a large append's halves commit apart) or whole,
    /// before it answers and adds them. A reload meanwhile may bring them in, and a flush may send them and take
    /// them out; the append's <see cref="Add"/> then leaves them out. Ends with <see cref="AppendEnded"/>, after that
    /// append's <see cref="Add"/>.
    /// </summary>
    public void AppendStarted() => _appends++;

    /// <summary>Whether an append is under way: its events may be stored but not yet buffered.</summary>
    public bool Appending => _appends > 0;

    public void AppendEnded()
    {
        if (--_appends == 0)
        {
            _reloadedDuringAppends = null;
        }
    }

    /// <summary>The store holds waiting events the buffer lost track of: read them back once the buffer has drained.</summary>
    public void ReloadWhenDrained() => LeaveInStore();

    /// <summary>
    /// Loads the oldest waiting events into the drained buffer (on activation, or once <see cref="RefillDue"/>). An
    /// event left to the store while it was read (the pixel takes events during a flush) may have been stored after
    /// the read began: then the store still counts as holding more, and the next drain reads again.
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var leftBefore = _leftInStore;
        var loaded = await store.LoadPendingAsync(pixelKey, capacity, cancellationToken);
        Clear();
        _events.AddRange(loaded);
        if (_appends > 0)
        {
            (_reloadedDuringAppends ??= []).UnionWith(loaded.Select(e => e.Seq));
        }
        MoreInStore = loaded.Count >= capacity || _leftInStore != leftBefore;
    }

    private bool IsHead(IReadOnlyList<BufferedEvent> batch)
    {
        if (batch.Count > _events.Count)
        {
            return false;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (_events[i].Seq != batch[i].Seq)
            {
                return false;
            }
        }
        return true;
    }

    private void LeaveInStore()
    {
        MoreInStore = true;
        _leftInStore++;
    }
}
