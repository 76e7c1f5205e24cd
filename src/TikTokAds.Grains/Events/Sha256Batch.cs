using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace TikTokAds.Grains.Events;

/// <summary>
/// SHA-256 (FIPS 180-4) of many short values, eight at a time. A value of at most <see cref="MaxOneBlock"/> bytes
/// (a normalised email or phone almost always is) pads to one 64-byte block, and eight such blocks are compressed
/// together, one in each 32-bit lane of a 256-bit vector. The platform's SHA-256 (OpenSSL) takes one value a call;
/// batched, an email is normalised and hashed in a quarter to a third of the time (docs/BENCHMARKS.md, thirty-ninth pass).
/// <para>
/// A value is queued with where its digest goes; the digest is written when its group of eight is compressed, and
/// <see cref="Flush"/> (or disposing the batch) writes the rest: read no digest before it. Longer values, and machines
/// without 256-bit vectors, are hashed by the platform at once (<see cref="HashOne"/>). The queued bytes are personal
/// data: they are cleared once hashed.
/// </para>
/// An instance is one caller's, on one thread, from its first value to its flush: take it with <c>using</c>, so that
/// no value stays queued and no digest is written late, whatever happens in between.
/// </summary>
public sealed class Sha256Batch : IDisposable
{
    /// <summary>Values compressed together.</summary>
    public const int Lanes = 8;

    /// <summary>The longest value that pads to one block: 64 bytes less the 0x80 marker and the 8-byte length.</summary>
    public const int MaxOneBlock = 55;

    private const int BlockWords = 16;

    private static ReadOnlySpan<uint> Initial => [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    private static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    [ThreadStatic]
    private static IncrementalHash? _sha256;

    // Word t of lane l's block at t * Lanes + l: each row loads as one vector.
    private readonly uint[] _words = new uint[BlockWords * Lanes];
    private readonly (byte[] Target, int Offset)[] _targets = new (byte[], int)[Lanes];
    private readonly bool _vectorized;
    private int _count;

    public Sha256Batch()
        : this(IsVectorized)
    {
    }

    /// <summary>With <paramref name="vectorized"/> false, every value goes to the platform (for tests of that path on any host).</summary>
    internal Sha256Batch(bool vectorized) => _vectorized = vectorized && IsVectorized;

    /// <summary>Whether values are compressed eight at a time here; otherwise each is hashed by the platform when added.</summary>
    public static bool IsVectorized => Vector256.IsHardwareAccelerated;

    /// <summary>Whether a value of <paramref name="length"/> bytes is queued; others are hashed at once when added.</summary>
    internal bool Queues(int length) => _vectorized && length <= MaxOneBlock;

    /// <summary>
    /// One value's SHA-256 by the platform, with this thread's hasher reused: a one-shot
    /// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> sets up OpenSSL's digest anew for every value:
    /// reused, 100,000 short emails hashed in a fifth to a third less time on this machine, the most when both cores
    /// hash at once. Values hashed one at a time use it (events, leads), and so do the values a batch does not queue.
    /// </summary>
    public static void HashOne(ReadOnlySpan<byte> value, Span<byte> digest)
    {
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            sha256.AppendData(value);
            sha256.GetHashAndReset(digest);
        }
        catch
        {
            // A hasher left holding part of a value would hash every later value on this thread wrongly.
            _sha256 = null;
            sha256.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Queues <paramref name="value"/>; its 32-byte digest goes to <paramref name="target"/> at <paramref name="offset"/>
    /// by the next <see cref="Flush"/> at the latest. The value is copied: the caller may reuse or clear it at once.
    /// </summary>
    public void Add(ReadOnlySpan<byte> value, byte[] target, int offset)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, target.Length - SHA256.HashSizeInBytes);
        if (!Queues(value.Length))
        {
            HashOne(value, target.AsSpan(offset, SHA256.HashSizeInBytes));
            return;
        }
        Span<byte> block = stackalloc byte[BlockWords * sizeof(uint)];
        value.CopyTo(block);
        block[value.Length] = 0x80;
        block[(value.Length + 1)..^sizeof(ulong)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(block[^sizeof(ulong)..], (ulong)value.Length * 8);
        for (var t = 0; t < BlockWords; t++)
        {
            _words[(t * Lanes) + _count] = BinaryPrimitives.ReadUInt32BigEndian(block[(t * sizeof(uint))..]);
        }
        block.Clear();
        _targets[_count++] = (target, offset);
        if (_count == Lanes)
        {
            Flush();
        }
    }

    /// <summary>Writes every queued value's digest.</summary>
    public void Flush()
    {
        if (_count == 0)
        {
            return;
        }
        try
        {
            Span<Vector256<uint>> state = stackalloc Vector256<uint>[8];
            Compress(_words, state);
            Span<uint> lanes = stackalloc uint[Lanes];
            for (var word = 0; word < state.Length; word++)
            {
                state[word].CopyTo(lanes);
                for (var lane = 0; lane < _count; lane++)
                {
                    var (target, offset) = _targets[lane];
                    BinaryPrimitives.WriteUInt32BigEndian(target.AsSpan(offset + (word * sizeof(uint)), sizeof(uint)), lanes[lane]);
                }
            }
            state.Clear();
        }
        finally
        {
            // Whatever happened, nothing of the values stays, and no later value is written to these targets.
            Array.Clear(_words);
            Array.Clear(_targets);
            _count = 0;
        }
    }

    /// <summary>Flushes: every queued value's digest is written.</summary>
    public void Dispose() => Flush();

    /// <summary>One block in each lane, compressed from the initial hash value (FIPS 180-4, 6.2.2).</summary>
    private static void Compress(uint[] words, Span<Vector256<uint>> result)
    {
        Span<Vector256<uint>> w = stackalloc Vector256<uint>[BlockWords];
        for (var t = 0; t < BlockWords; t++)
        {
            w[t] = Vector256.Create(words.AsSpan(t * Lanes, Lanes));
        }
        var a = Vector256.Create(Initial[0]);
        var b = Vector256.Create(Initial[1]);
        var c = Vector256.Create(Initial[2]);
        var d = Vector256.Create(Initial[3]);
        var e = Vector256.Create(Initial[4]);
        var f = Vector256.Create(Initial[5]);
        var g = Vector256.Create(Initial[6]);
        var h = Vector256.Create(Initial[7]);
        for (var t = 0; t < 64; t++)
        {
            // The schedule kept as its last sixteen words: W[t-16] sits where W[t] goes.
            var wt = t < BlockWords
                ? w[t]
                : w[t & 15] = SmallSigma1(w[(t - 2) & 15]) + w[(t - 7) & 15] + SmallSigma0(w[(t - 15) & 15]) + w[t & 15];
            var t1 = h + BigSigma1(e) + ((e & f) ^ Vector256.AndNot(g, e)) + Vector256.Create(K[t]) + wt;
            var t2 = BigSigma0(a) + ((a & b) | (c & (a ^ b)));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        w.Clear();
        result[0] = a + Vector256.Create(Initial[0]);
        result[1] = b + Vector256.Create(Initial[1]);
        result[2] = c + Vector256.Create(Initial[2]);
        result[3] = d + Vector256.Create(Initial[3]);
        result[4] = e + Vector256.Create(Initial[4]);
        result[5] = f + Vector256.Create(Initial[5]);
        result[6] = g + Vector256.Create(Initial[6]);
        result[7] = h + Vector256.Create(Initial[7]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr(Vector256<uint> x, [ConstantExpected] int n)
        => Vector256.ShiftRightLogical(x, n) | Vector256.ShiftLeft(x, 32 - n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> BigSigma0(Vector256<uint> x) => Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> BigSigma1(Vector256<uint> x) => Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> SmallSigma0(Vector256<uint> x) => Rotr(x, 7) ^ Rotr(x, 18) ^ Vector256.ShiftRightLogical(x, 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> SmallSigma1(Vector256<uint> x) => Rotr(x, 17) ^ Rotr(x, 19) ^ Vector256.ShiftRightLogical(x, 10);
}
