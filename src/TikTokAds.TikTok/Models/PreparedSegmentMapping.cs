using System.Buffers;
using System.Text.Json;

namespace TikTokAds.TikTok.Models;

/// <summary>
/// A segment/mapping/ request written out before it is sent: its JSON in a buffer rented from the shared pool, sent
/// with its length (<see cref="TikTokBusinessClient.MapSegmentAsync(string, PreparedSegmentMapping, CancellationToken)"/>),
/// and the same bytes again on a retry. A caller sending chunks back to back writes the next one while earlier
/// ones are at TikTok, so a free slot is filled at once. Disposed once sent: the buffer goes back to the pool.
/// </summary>
public sealed class PreparedSegmentMapping : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    private PreparedSegmentMapping(string action, byte[] buffer, int length)
    {
        Action = action;
        _buffer = buffer;
        _length = length;
    }

    /// <summary>add or delete.</summary>
    public string Action { get; }

    /// <summary>The request's JSON.</summary>
    public ReadOnlyMemory<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(PreparedSegmentMapping))).AsMemory(0, _length);

    /// <summary>The request written as JSON; its users must be aligned to id_schema.</summary>
    public static PreparedSegmentMapping Of(SegmentMappingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.BatchData.Aligned(request.IdSchema.Count))
        {
            throw new ArgumentException("Every user in batch_data must have one entry per id_schema position.", nameof(request));
        }
        var buffer = new PooledBuffer(EstimatedLength(request));
        try
        {
            var options = TikTokJsonContext.Default.Options;
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth }))
            {
                JsonSerializer.Serialize(writer, request, TikTokJsonContext.Default.SegmentMappingRequest);
            }
            return new(request.Action, buffer.Take(out var length), length);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A digest row's id is 64 hex digits in {"id":"…","audience_ids":["…"]}: about 110 bytes with one audience.
    private static int EstimatedLength(SegmentMappingRequest request) => 256 + (request.BatchData.Count * Math.Max(1, request.IdSchema.Count) * 128);

    /// <summary>A growing buffer of pooled arrays; what it holds is taken once, or returned on dispose.</summary>
    private sealed class PooledBuffer(int capacity) : IBufferWriter<byte>, IDisposable
    {
        private byte[]? _array = ArrayPool<byte>.Shared.Rent(capacity);
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_written);

        public byte[] Take(out int length)
        {
            var array = _array!;
            (_array, length) = (null, _written);
            return array;
        }

        public void Dispose()
        {
            if (_array is { } array)
            {
                _array = null;
                ArrayPool<byte>.Shared.Return(array);
            }
        }

        private byte[] Ensure(int sizeHint)
        {
            var array = _array!;
            if (array.Length - _written >= Math.Max(sizeHint, 1))
            {
                return array;
            }
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, _written + Math.Max(sizeHint, 1)));
            array.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(array);
            return _array = larger;
        }
    }
}
