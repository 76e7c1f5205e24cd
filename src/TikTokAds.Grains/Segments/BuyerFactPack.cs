using System.Buffers;
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
    public static byte[] Pack(IEnumerable<BuyerFact> facts)
    {
        var writer = new ArrayBufferWriter<byte>(4096);
        writer.Write(Header);
        foreach (var fact in facts)
        {
            if (Counts(fact))
            {
                Write(writer, fact);
            }
        }
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// One fact as it appears in a pack, without the header: a pack is <see cref="Header"/> and its facts' pieces one
    /// after another, so PostgreSQL can put one together from the pieces of the facts a write stored.
    /// </summary>
    public static byte[] Piece(BuyerFact fact)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        Write(writer, fact);
        return writer.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> writer, BuyerFact fact)
    {
        WriteString(writer, fact.PixelId);
        WriteString(writer, fact.EventName);
        WriteString(writer, fact.EventId);
        WriteTime(writer, fact.EventTime);
        WriteTime(writer, fact.AcceptedAt);
        var value = fact.Value?.ToString(CultureInfo.InvariantCulture);
        var flags = (byte)((fact.EmailSha256 is null ? 0 : HasEmail) | (fact.PhoneSha256 is null ? 0 : HasPhone)
            | (value is null ? 0 : HasValue) | (fact.Currency is null ? 0 : HasCurrency));
        writer.GetSpan(1)[0] = flags;
        writer.Advance(1);
        WriteOptional(writer, fact.EmailSha256);
        WriteOptional(writer, fact.PhoneSha256);
        WriteOptional(writer, value);
        WriteOptional(writer, fact.Currency);
        WriteCount(writer, fact.ContentIds.Count);
        foreach (var contentId in fact.ContentIds)
        {
            WriteString(writer, contentId);
        }
    }

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

    private static void WriteOptional(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is not null)
        {
            WriteString(writer, value);
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteCount(writer, length);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }

    private static void WriteCount(ArrayBufferWriter<byte> writer, int count)
    {
        var span = writer.GetSpan(5);
        var n = 0;
        var rest = (uint)count;
        while (rest >= 0x80)
        {
            span[n++] = (byte)(rest | 0x80);
            rest >>= 7;
        }
        span[n++] = (byte)rest;
        writer.Advance(n);
    }

    private static void WriteTime(ArrayBufferWriter<byte> writer, DateTimeOffset time)
    {
        BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), (time.UtcTicks - EpochTicks) / TimeSpan.TicksPerMicrosecond);
        writer.Advance(8);
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
            return new DateTimeOffset(EpochTicks + micros * TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
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
