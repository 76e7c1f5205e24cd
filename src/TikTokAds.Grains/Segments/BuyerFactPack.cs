using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace TikTokAds.Grains.Segments;

/// <summary>
/// Many buyer facts of one organizer as one value: a row of buyer_fact_packs (sql/0021). The form, after a version
/// byte of 1, is each fact in turn:
/// <list type="bullet">
/// <item>its pixel id, event name and event id, each a string;</item>
/// <item>its event_time and accepted_at, each the microseconds since the Unix epoch as a big-endian 64-bit integer
/// (PostgreSQL's own precision);</item>
/// <item>a byte of flags (1 email, 2 phone, 4 value, 8 currency), then each that is set, in that order, as a string
/// (the value in its invariant decimal form, so its scale is kept);</item>
/// <item>the count of its content ids, then each as a string.</item>
/// </list>
/// A string is its UTF-8 length as a 7-bit encoded integer, then its UTF-8. A count is a 7-bit encoded integer.
/// </summary>
public static class BuyerFactPack
{
    private const byte Version = 1;
    private const byte HasEmail = 1, HasPhone = 2, HasValue = 4, HasCurrency = 8;
    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>What a pack starts with: its version.</summary>
    public static ReadOnlySpan<byte> Header => [Version];

    /// <summary>The facts as one value. Facts with neither a hashed email nor a hashed phone cannot count, and are left out.</summary>
    /// <remarks>
    /// The value's exact length is counted first and the facts written straight into one array of it. A write packs
    /// about five hundred facts (each half of a 1,000-event write has its own pack); a buffer that doubled as it went,
    /// then copied out, allocated about three times the pack (docs/BENCHMARKS.md, thirty-fifth pass).
    /// </remarks>
    public static byte[] Pack(IReadOnlyList<BuyerFact> facts)
    {
        var length = Header.Length;
        foreach (var fact in facts)
        {
            if (Counts(fact))
            {
                length += Size(fact);
            }
        }
        var packed = new byte[length];
        var writer = new Writer(packed);
        writer.Bytes(Header);
        foreach (var fact in facts)
        {
            if (Counts(fact))
            {
                writer.Fact(fact);
            }
        }
        writer.AssertFull();
        return packed;
    }

    /// <summary>
    /// One fact as it appears in a pack, without the header: a pack is <see cref="Header"/> and its facts' pieces one
    /// after another, so PostgreSQL can put one together from the pieces of the facts a write stored.
    /// </summary>
    public static byte[] Piece(BuyerFact fact) => Single(fact, []);

    /// <summary>
    /// One fact as a pack of its own, <see cref="Header"/> and its piece in one array of exactly that length, so
    /// <see cref="Unpack"/> reads it back. The embedded store keeps each fact so: one object for the collector where
    /// the fact's record, strings and arrays were six or more. Unlike <see cref="Pack"/>, it writes a fact with neither
    /// a hashed email nor a hashed phone too, as the embedded store keeps those.
    /// </summary>
    public static byte[] PackOne(BuyerFact fact) => Single(fact, Header);

    /// <summary>A time as a pack keeps it: whole microseconds since the Unix epoch (PostgreSQL's own precision).</summary>
    public static long Microseconds(DateTimeOffset time) => (time.UtcTicks - EpochTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>The time a pack's <see cref="Microseconds"/> stand for, in UTC.</summary>
    public static DateTimeOffset FromMicroseconds(long micros) => new(EpochTicks + micros * TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);

    /// <summary><paramref name="header"/>, then one fact, in one array of exactly their length.</summary>
    private static byte[] Single(BuyerFact fact, ReadOnlySpan<byte> header)
    {
        var packed = new byte[header.Length + Size(fact)];
        var writer = new Writer(packed);
        writer.Bytes(header);
        writer.Fact(fact);
        writer.AssertFull();
        return packed;
    }

    /// <summary>The bytes <paramref name="fact"/> takes in a pack.</summary>
    private static int Size(BuyerFact fact)
    {
        Span<byte> value = stackalloc byte[MaxValueBytes];
        var size = StringSize(fact.PixelId) + StringSize(fact.EventName) + StringSize(fact.EventId) + 8 + 8 + 1
            + OptionalSize(fact.EmailSha256) + OptionalSize(fact.PhoneSha256) + OptionalSize(fact.Currency)
            + (fact.Value is { } amount && FormatValue(amount, value) is var length ? CountSize(length) + length : 0)
            + CountSize(fact.ContentIds.Count);
        foreach (var contentId in fact.ContentIds)
        {
            size += StringSize(contentId);
        }
        return size;
    }

    private static int OptionalSize(string? value) => value is null ? 0 : StringSize(value);

    private static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return CountSize(length) + length;
    }

    private static int CountSize(int count)
    {
        var size = 1;
        for (var rest = (uint)count; rest >= 0x80; rest >>= 7)
        {
            size++;
        }
        return size;
    }

    /// <summary>A decimal's invariant form (the most a decimal takes: 29 digits, a sign and a point).</summary>
    private const int MaxValueBytes = 40;

    /// <summary>Writes <paramref name="value"/>'s invariant decimal form, its scale kept, into <paramref name="utf8"/>; returns its length.</summary>
    private static int FormatValue(decimal value, Span<byte> utf8)
        => value.TryFormat(utf8, out var written, default, CultureInfo.InvariantCulture) ? written
            : throw new InvalidOperationException($"A decimal took more than {MaxValueBytes} bytes.");

    /// <summary>Whether a fact goes into a pack: one with neither a hashed email nor a hashed phone cannot count.</summary>
    public static bool Counts(BuyerFact fact) => fact.EmailSha256 is not null || fact.PhoneSha256 is not null;

    /// <summary>The facts of one pack, in the order they were packed.</summary>
    /// <exception cref="InvalidDataException">The value is not a pack of this form.</exception>
    public static List<BuyerFact> Unpack(string organizerId, ReadOnlySpan<byte> packed)
    {
        if (packed.IsEmpty || packed[0] != Version)
        {
            throw new InvalidDataException($"A buyer fact pack of organizer {organizerId} starts with version {(packed.IsEmpty ? "none" : packed[0])}, not {Version}.");
        }
        var facts = new List<BuyerFact>();
        var reader = new Reader(packed[1..]);
        // A pack's facts mostly share their pixel and event name: one string each, not one per fact.
        string? lastPixel = null, lastName = null;
        while (!reader.AtEnd)
        {
            var pixel = reader.String(lastPixel);
            var name = reader.String(lastName);
            (lastPixel, lastName) = (pixel, name);
            var eventId = reader.String(null);
            var eventTime = reader.Time();
            var acceptedAt = reader.Time();
            var flags = reader.Byte();
            var email = (flags & HasEmail) != 0 ? reader.String(null) : null;
            var phone = (flags & HasPhone) != 0 ? reader.String(null) : null;
            decimal? value = (flags & HasValue) != 0 ? decimal.Parse(reader.String(null), NumberStyles.Number, CultureInfo.InvariantCulture) : null;
            var currency = (flags & HasCurrency) != 0 ? reader.String(null) : null;
            var contentIds = new string[reader.Count()];
            for (var i = 0; i < contentIds.Length; i++)
            {
                contentIds[i] = reader.String(null);
            }
            facts.Add(new BuyerFact(organizerId, pixel, name, eventId, eventTime, email, phone, value, currency, contentIds, acceptedAt));
        }
        return facts;
    }

    /// <summary>Writes facts into an array sized for them by <see cref="Size"/>.</summary>
    private ref struct Writer(Span<byte> target)
    {
        private readonly Span<byte> _target = target;
        private int _at;

        public void Fact(BuyerFact fact)
        {
            String(fact.PixelId);
            String(fact.EventName);
            String(fact.EventId);
            Time(fact.EventTime);
            Time(fact.AcceptedAt);
            var flags = (byte)((fact.EmailSha256 is null ? 0 : HasEmail) | (fact.PhoneSha256 is null ? 0 : HasPhone)
                | (fact.Value is null ? 0 : HasValue) | (fact.Currency is null ? 0 : HasCurrency));
            _target[_at++] = flags;
            Optional(fact.EmailSha256);
            Optional(fact.PhoneSha256);
            if (fact.Value is { } amount)
            {
                Span<byte> value = stackalloc byte[MaxValueBytes];
                var length = FormatValue(amount, value);
                Count(length);
                Bytes(value[..length]);
            }
            Optional(fact.Currency);
            Count(fact.ContentIds.Count);
            foreach (var contentId in fact.ContentIds)
            {
                String(contentId);
            }
        }

        public void Bytes(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_target[_at..]);
            _at += bytes.Length;
        }

        /// <summary>Checks that the sizes counted and the bytes written agree.</summary>
        public readonly void AssertFull()
        {
            if (_at != _target.Length)
            {
                throw new InvalidOperationException($"A buyer fact pack was sized {_target.Length} bytes and written {_at}.");
            }
        }

        private void Optional(string? value)
        {
            if (value is not null)
            {
                String(value);
            }
        }

        private void String(string value)
        {
            Count(Encoding.UTF8.GetByteCount(value));
            _at += Encoding.UTF8.GetBytes(value, _target[_at..]);
        }

        private void Count(int count)
        {
            var rest = (uint)count;
            while (rest >= 0x80)
            {
                _target[_at++] = (byte)(rest | 0x80);
                rest >>= 7;
            }
            _target[_at++] = (byte)rest;
        }

        private void Time(DateTimeOffset time)
        {
            BinaryPrimitives.WriteInt64BigEndian(_target[_at..], Microseconds(time));
            _at += 8;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly bool AtEnd => _rest.IsEmpty;

        public byte Byte()
        {
            Need(1);
            var value = _rest[0];
            _rest = _rest[1..];
            return value;
        }

        public int Count()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value <= int.MaxValue ? (int)value : throw Truncated();
                }
            }
            throw Truncated();
        }

        /// <summary>The next string; <paramref name="same"/> when it has the same UTF-8, so repeats share one string.</summary>
        public string String(string? same)
        {
            var length = Count();
            Need(length);
            var utf8 = _rest[..length];
            _rest = _rest[length..];
            return same is not null && Utf8Equals(utf8, same) ? same : Encoding.UTF8.GetString(utf8);
        }

        public DateTimeOffset Time()
        {
            Need(8);
            var micros = BinaryPrimitives.ReadInt64BigEndian(_rest);
            _rest = _rest[8..];
            return FromMicroseconds(micros);
        }

        private readonly void Need(int length)
        {
            if (_rest.Length < length)
            {
                throw Truncated();
            }
        }

        private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string value)
        {
            Span<byte> buffer = stackalloc byte[256];
            return value.Length <= 64 && Encoding.UTF8.TryGetBytes(value, buffer, out var written) && utf8.SequenceEqual(buffer[..written]);
        }

        private static InvalidDataException Truncated() => new("A buyer fact pack ends in the middle of a fact.");
    }
}
