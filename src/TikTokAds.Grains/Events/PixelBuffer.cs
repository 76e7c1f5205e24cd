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

    public int Count => _events.Count;

    public IReadOnlyList<BufferedEvent> Events => _events;

    /// <summary>True when the store holds waiting events the buffer could not take.</summary>
    public bool MoreInStore { get; private set; }

    public bool HasWork => _events.Count > 0 || MoreInStore;

    /// <summary>Whether a reload from the store is due: the buffer has drained and the store holds more.</summary>
    public bool RefillDue => _events.Count == 0 && MoreInStore;

    public void Add(BufferedEvent item)
    {
        // A reload that read the store while this event's append was committing may have brought it in already.
        if (_events.Count > 0 && item.Seq <= _events[^1].Seq && _events.Exists(e => e.Seq == item.Seq))
        {
            return;
        }
        // Once the store holds events the buffer does not, newer ones wait there too, behind them, until a reload:
        // otherwise a pixel with steady traffic would keep sending new events and never drain to reload the old.
        if (!MoreInStore && _events.Count < capacity)
        {
            _events.Add(item);
        }
        else
        {
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
