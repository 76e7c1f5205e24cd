using System.Collections;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// A chunk's members ("SCHEMA:hash"), each once, already packed as audience_member_log stores them
/// (<see cref="PackedMembers"/>). Made from a run's packed rows it costs no string per member; enumerating it
/// gives the members' text, for stores and readers that want it.
/// </summary>
public sealed class MemberChunk : IReadOnlyCollection<string>
{
    private MemberChunk(ReadOnlyMemory<byte> packed, int count)
    {
        Packed = packed;
        Count = count;
    }

    /// <summary>The members packed, one entry each.</summary>
    public ReadOnlyMemory<byte> Packed { get; }

    public int Count { get; }

    /// <summary>The members, each once.</summary>
    public static MemberChunk Of(IEnumerable<string> members)
    {
        var (packed, count) = PackedMembers.Pack(members);
        return new(packed, count);
    }

    /// <summary>The members of packed rows: each present cell p as <paramref name="idSchema"/>[p] and its digest, each once.</summary>
    public static MemberChunk FromRows(RunRows rows, IReadOnlyList<string> idSchema)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(idSchema);
        if (!rows.IsPacked || idSchema.Count != rows.Cells)
        {
            throw new ArgumentException("Packed rows with one id_schema entry per cell.", nameof(rows));
        }
        var width = PackedRows.Width(rows.Cells);
        var source = rows.Packed.Span;
        // Room for every cell filled; the chunk is the part written.
        var packed = new byte[rows.Count * idSchema.Sum(PackedMembers.DigestEntryLength)];
        var seen = new HashSet<int>(rows.Count * rows.Cells, new EntryAt(packed));
        var length = 0;
        for (var offset = 0; offset < source.Length; offset += width)
        {
            for (var p = 0; p < rows.Cells; p++)
            {
                if ((source[offset] & (1 << p)) == 0)
                {
                    continue;
                }
                // Written where the next entry goes; kept (the end moved past it) only when it is not there already.
                var entry = PackedMembers.WriteDigest(idSchema[p], source.Slice(offset + 1 + (p * PackedRows.Digest), PackedRows.Digest), packed.AsSpan(length));
                if (seen.Add(length))
                {
                    length += entry;
                }
            }
        }
        return new(packed.AsMemory(0, length), seen.Count);
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var offset = 0; offset < Packed.Length;)
        {
            var length = PackedMembers.EntryLength(Packed.Span[offset..]);
            yield return PackedMembers.Unpack(Packed.Span.Slice(offset, length));
            offset += length;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Entries of one buffer, named by where they start, compared by their bytes.</summary>
    private sealed class EntryAt(byte[] packed) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => Entry(x).SequenceEqual(Entry(y));

        public int GetHashCode(int offset) => PackedMembers.HashOf(Entry(offset));

        private ReadOnlySpan<byte> Entry(int offset) => packed.AsSpan(offset, PackedMembers.EntryLength(packed.AsSpan(offset)));
    }
}
