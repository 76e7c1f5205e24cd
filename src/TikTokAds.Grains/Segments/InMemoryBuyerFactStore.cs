using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TikTokAds.Grains.Segments;

/// <summary>
/// The embedded default's buyer facts: same rules as PostgreSQL, kept as long as the process, but at most
/// <paramref name="maxFacts"/> of them, the oldest recorded forgotten first. Every purchase with an email or phone
/// is a fact, so a node taking thousands of them a second held more each second than anything else.
/// </summary>
/// <remarks>
/// <para>
/// Each fact is kept as one array, a pack of its own (<see cref="BuyerFactPack.PackOne"/>), keyed by a 64-bit keyed
/// hash of its (organizer, pixel, event name, event id). Kept as records with their strings, content id arrays and a
/// tuple of four strings as key, each fact was six to eight objects that all outlived gen0: with 1,000 facts kept
/// instead of 100,000, gen0 paused 31-40 ms instead of about 61 (docs/BENCHMARKS.md, forty-fifth pass). Now a fact
/// is one object, and the rest is in the arrays of the dictionary and queue. A query unpacks only the organizer's
/// facts from its time on.
/// </para>
/// <para>
/// Times come back as the pack keeps them, whole microseconds in UTC, as from PostgreSQL; bounds are taken to whole
/// microseconds as PostgreSQL takes them, so both stores select the same facts.
/// </para>
/// <para>
/// Two keys could share a hash with odds of about Count / 2^64 for each fact recorded; the later fact would then be
/// taken as already recorded and left out. The hash's seed is random per process, which makes such a pair hard to
/// aim at, though XxHash3 is not a keyed hash built to resist that; the cost of one would be one buyer fact not
/// counted, on a node without a database.
/// </para>
/// </remarks>
public sealed class InMemoryBuyerFactStore(int maxFacts = 100_000) : IBuyerFactStore
{
    private static readonly long Key = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Entry> _facts = [];
    /// <summary>Facts in the order they were recorded; an entry whose fact has gone or been recorded again is skipped.</summary>
    private readonly Queue<(ulong Key, long Seq)> _order = new();
    /// <summary>The organizers with facts kept, by id: their facts share the one <see cref="Organizer"/>, not a string each.</summary>
    private readonly Dictionary<string, Organizer> _organizers = new(StringComparer.Ordinal);
    private long _seq;

    /// <summary>Organizers with facts kept (for tests: an organizer's entry goes with its last fact).</summary>
    internal int OrganizerCount
    {
        get
        {
            lock (_lock)
            {
                return _organizers.Count;
            }
        }
    }

    /// <summary>Entries of the recording order, the stale ones included (for tests: deletes must not make it grow without end).</summary>
    internal int OrderCount
    {
        get
        {
            lock (_lock)
            {
                return _order.Count;
            }
        }
    }

    public Task RecordAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken)
    {
        // Hashed and packed before the lock is taken, so writers on other pixels wait only for the bookkeeping.
        var prepared = new (ulong Key, long EventTime, byte[] Packed)[facts.Count];
        for (var i = 0; i < facts.Count; i++)
        {
            // Checked before any entry is taken: an entry with no organizer could be neither evicted nor purged.
            ArgumentNullException.ThrowIfNull(facts[i].OrganizerId);
            prepared[i] = (Hash(facts[i]), Micros(facts[i].EventTime), BuyerFactPack.PackOne(facts[i]));
        }
        lock (_lock)
        {
            for (var i = 0; i < facts.Count; i++)
            {
                var (key, eventTime, packed) = prepared[i];
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_facts, key, out var exists);
                if (exists)
                {
                    continue;
                }
                var organizer = OrganizerOf(facts[i].OrganizerId);
                organizer.Facts++;
                entry = new Entry(++_seq, organizer, eventTime, packed);
                _order.Enqueue((key, _seq));
            }
            while (_facts.Count > maxFacts && _order.TryDequeue(out var oldest))
            {
                if (_facts.TryGetValue(oldest.Key, out var kept) && kept.Seq == oldest.Seq)
                {
                    Forget(oldest.Key, kept);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BuyerFact>> QueryAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var from = Micros(since);
        var packed = new List<byte[]>();
        lock (_lock)
        {
            if (!_organizers.TryGetValue(organizerId, out var organizer))
            {
                return Task.FromResult<IReadOnlyList<BuyerFact>>([]);
            }
            foreach (var entry in _facts.Values)
            {
                if (ReferenceEquals(entry.Organizer, organizer) && entry.EventTime >= from)
                {
                    packed.Add(entry.Packed);
                }
            }
        }
        // A kept array is never written again, so it is read outside the lock.
        var found = new List<BuyerFact>(packed.Count);
        foreach (var one in packed)
        {
            foreach (var fact in BuyerFactPack.Unpack(organizerId, one))
            {
                if (eventNames.Contains(fact.EventName))
                {
                    found.Add(fact);
                }
            }
        }
        return Task.FromResult<IReadOnlyList<BuyerFact>>(found);
    }

    public async Task<IReadOnlyList<BuyerTotal>> BuyerTotalsAsync(string organizerId, Contracts.Segments.SegmentDefinition definition, DateTimeOffset since, CancellationToken cancellationToken)
        => SegmentRule.Totals(definition, await QueryAsync(organizerId, definition.EventNames, since, cancellationToken), WholeMicroseconds(since));

    public Task<long> DeleteOrganizerAsync(string organizerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_organizers.TryGetValue(organizerId, out var organizer) ? Remove(e => ReferenceEquals(e.Organizer, organizer)) : 0L);
        }
    }

    public Task<long> PurgeAsync(DateTimeOffset defaultCutoff, IReadOnlyDictionary<string, DateTimeOffset> overrides, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Each organizer's cut-off once, not looked up again for every one of its facts.
            var cutoffs = _organizers.Values.ToDictionary(o => o, o => Micros(overrides.GetValueOrDefault(o.Id, defaultCutoff)));
            return Task.FromResult(Remove(e => e.EventTime < cutoffs[e.Organizer]));
        }
    }

    /// <summary>Removes the facts that match; how many. Called under the lock.</summary>
    private long Remove(Func<Entry, bool> match)
    {
        long removed = 0;
        // Removing from a dictionary does not end its enumeration (since .NET Core 3.0), so no list of keys is built.
        foreach (var (key, entry) in _facts)
        {
            if (match(entry))
            {
                Forget(key, entry);
                removed++;
            }
        }
        // The removed facts' places in the order stay until eviction reaches them, which it may never do while
        // deletes keep the count under the limit; past twice the facts kept, they are dropped in one pass.
        if (_order.Count > 2 * _facts.Count)
        {
            for (var i = _order.Count; i > 0; i--)
            {
                var place = _order.Dequeue();
                if (_facts.TryGetValue(place.Key, out var kept) && kept.Seq == place.Seq)
                {
                    _order.Enqueue(place);
                }
            }
            _order.TrimExcess();
        }
        return removed;
    }

    /// <summary>Removes one fact, and its organizer's entry with its last fact. Called under the lock.</summary>
    private void Forget(ulong key, Entry entry)
    {
        _facts.Remove(key);
        if (--entry.Organizer.Facts == 0)
        {
            _organizers.Remove(entry.Organizer.Id);
        }
    }

    private Organizer OrganizerOf(string organizerId)
    {
        ref var organizer = ref CollectionsMarshal.GetValueRefOrAddDefault(_organizers, organizerId, out _);
        return organizer ??= new Organizer(organizerId);
    }

    private static ulong Hash(BuyerFact fact) => ChainedHash.Of(Key, fact.OrganizerId, fact.PixelId, fact.EventName, fact.EventId);

    /// <summary>A time as the pack keeps it (<see cref="BuyerFactPack.Microseconds"/>).</summary>
    private static long Micros(DateTimeOffset time) => BuyerFactPack.Microseconds(time);

    private static DateTimeOffset WholeMicroseconds(DateTimeOffset time) => BuyerFactPack.FromMicroseconds(Micros(time));

    /// <summary>A kept fact: its place in the recording order, its organizer, its event time as <see cref="Micros"/>, and the fact packed.</summary>
    private readonly record struct Entry(long Seq, Organizer Organizer, long EventTime, byte[] Packed);

    /// <summary>An organizer with facts kept, and how many: its entry goes with its last fact.</summary>
    private sealed class Organizer(string id)
    {
        public string Id { get; } = id;

        public int Facts { get; set; }
    }
}
