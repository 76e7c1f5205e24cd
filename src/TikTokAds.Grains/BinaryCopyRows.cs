using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace TikTokAds.Grains;

/// <summary>
/// Rows of a binary COPY (PostgreSQL's <c>FORMAT BINARY</c>), encoded straight into one buffer and sent through
/// Npgsql's raw COPY stream a block at a time. Npgsql's <c>NpgsqlBinaryImporter</c> resolves each column's type and
/// awaits each column on its own; for the events' COPY that was eleven calls an event, 10.8 % of the node's samples in
/// P1 (docs/BENCHMARKS.md, thirty-fifth pass). The caller names each column's type by the method it calls, as it named
/// it by <c>NpgsqlDbType</c> before, and must write exactly the columns its COPY lists, in their order.
/// </summary>
/// <remarks>
/// The encodings are PostgreSQL's binary send formats: text as its UTF-8 bytes, bigint as 8 bytes big-endian, jsonb as
/// the version byte 1 and the JSON's UTF-8 text, timestamptz as big-endian microseconds since 2000-01-01 UTC. Each
/// field is preceded by its length (-1 for NULL) and each row by its number of fields; the file by a signature and
/// ended by -1 (PostgreSQL's "COPY" documentation, "Binary Format").
/// </remarks>
public sealed class BinaryCopyRows : IDisposable
{
    /// <summary>The buffer is sent once it holds this much: one CopyData message (Npgsql's own write buffer is 8 KB).</summary>
    public const int BlockBytes = 64 * 1024;

    /// <summary>The file header: the signature "PGCOPY\n\377\r\n\0", no flags, no header extension.</summary>
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>UTF-8 that refuses a lone surrogate, as Npgsql's own text encoding does, rather than replacing it.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BlockBytes * 2);
    private int _length;
    private bool _completed;

    public BinaryCopyRows()
    {
        Header.CopyTo(_buffer, 0);
        _length = Header.Length;
    }

    public void StartRow(short fields) => BinaryPrimitives.WriteInt16BigEndian(Take(2), fields);

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Take(4), -1);

    public void Text(string value)
    {
        var room = Take(4 + StrictUtf8.GetMaxByteCount(value.Length));
        var written = StrictUtf8.GetBytes(value, room[4..]);
        BinaryPrimitives.WriteInt32BigEndian(room, written);
        _length -= room.Length - 4 - written;
    }

    public void TextOrNull(string? value)
    {
        if (value is null)
        {
            Null();
        }
        else
        {
            Text(value);
        }
    }

    public void Bigint(long value)
    {
        var room = Take(12);
        BinaryPrimitives.WriteInt32BigEndian(room, 8);
        BinaryPrimitives.WriteInt64BigEndian(room[4..], value);
    }

    /// <summary>A jsonb field from JSON text already in UTF-8; PostgreSQL parses and checks it as it would a parameter.</summary>
    public void Jsonb(ReadOnlySpan<byte> utf8Json)
    {
        var room = Take(5 + utf8Json.Length);
        BinaryPrimitives.WriteInt32BigEndian(room, 1 + utf8Json.Length);
        room[4] = 1;
        utf8Json.CopyTo(room[5..]);
    }

    /// <summary>
    /// A timestamptz field: the instant, to the microsecond (truncated, as Npgsql writes it); <see cref="DateTimeOffset.MinValue"/>
    /// and <see cref="DateTimeOffset.MaxValue"/> as -infinity and infinity, as Npgsql maps them.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not in UTC: Npgsql refuses those for timestamptz too.</exception>
    public void TimestampTz(DateTimeOffset value)
    {
        if (value.Offset != TimeSpan.Zero)
        {
            throw new ArgumentException($"A timestamptz is written from a UTC value; {value:O} has offset {value.Offset}.", nameof(value));
        }
        var micros = value == DateTimeOffset.MinValue ? long.MinValue
            : value == DateTimeOffset.MaxValue ? long.MaxValue
            : (value.UtcTicks - PostgresEpochTicks) / TimeSpan.TicksPerMicrosecond;
        var room = Take(12);
        BinaryPrimitives.WriteInt32BigEndian(room, 8);
        BinaryPrimitives.WriteInt64BigEndian(room[4..], micros);
    }

    /// <summary>Sends what is encoded once it fills a block; call it between rows.</summary>
    public ValueTask SendIfFullAsync(Stream copy, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        return _length < BlockBytes ? ValueTask.CompletedTask : SendAsync(copy, cancellationToken);
    }

    /// <summary>Ends the file and sends the rest; the COPY itself completes when its stream is disposed.</summary>
    public async ValueTask CompleteAsync(Stream copy, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        BinaryPrimitives.WriteInt16BigEndian(Take(2), -1);
        _completed = true;
        await SendAsync(copy, cancellationToken);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
    }

    private async ValueTask SendAsync(Stream copy, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        await copy.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
        _length = 0;
    }

    /// <summary>The next <paramref name="bytes"/> of the buffer, counted as written; the buffer grows to hold a large field.</summary>
    private Span<byte> Take(int bytes)
    {
        ObjectDisposedException.ThrowIf(_completed || _buffer.Length == 0, this);
        if (_length + bytes > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var room = _buffer.AsSpan(_length, bytes);
        _length += bytes;
        return room;
    }
}
