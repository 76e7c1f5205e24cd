using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// Members ("SCHEMA:id") as one value of bytes, the way audience_member_log stores a chunk of them. An email's or a
/// phone's SHA-256 in 64 lowercase hex digits is a code byte (1 email, 2 phone) and its 32 bytes: 33 bytes instead
/// of a 77-character string. Anything else is code 0, its UTF-8 length in two bytes (big-endian) and the UTF-8
/// bytes of the whole member. sql/0018 packs the older table's rows the same way.
/// </summary>
public static class PackedMembers
{
    private const int Digest = 32;
    private const byte Text = 0;
    private static readonly string[] Schemas = ["", "EMAIL_SHA256:", "PHONE_SHA256:"];
    private const int MaxHashedLength = 13 + (2 * Digest);

    /// <summary>Characters enough for any member's text form that <see cref="TryUnpack"/> writes.</summary>
    public const int MaxTextLength = 256;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The members, each once, packed; and how many that is.</summary>
    public static (byte[] Packed, int Count) Pack(IEnumerable<string> members)
    {
        var distinct = members as IReadOnlySet<string> ?? new HashSet<string>(members, StringComparer.Ordinal);
        var packed = new ArrayBufferWriter<byte>(distinct.Count * (1 + Digest));
        foreach (var member in distinct)
        {
            Write(packed, member);
        }
        return (packed.WrittenSpan.ToArray(), distinct.Count);
    }

    /// <summary>How many bytes the entry at the start of <paramref name="packed"/> takes.</summary>
    public static int EntryLength(ReadOnlySpan<byte> packed)
        => packed[0] == Text ? 3 + BinaryPrimitives.ReadUInt16BigEndian(packed[1..]) : 1 + Digest;

    /// <summary>The member an entry packs, back in its text form.</summary>
    public static string Unpack(ReadOnlySpan<byte> entry)
    {
        if (entry[0] == Text)
        {
            return Encoding.UTF8.GetString(entry[3..]);
        }
        Span<char> text = stackalloc char[MaxHashedLength];
        TryUnpack(entry, text, out var written);
        return new string(text[..written]);
    }

    /// <summary>The member's text form written into <paramref name="text"/> (long enough for it); its length.</summary>
    public static bool TryUnpack(ReadOnlySpan<byte> entry, Span<char> text, out int written)
    {
        written = 0;
        if (entry[0] == Text)
        {
            return Encoding.UTF8.TryGetChars(entry[3..], text, out written);
        }
        var schema = Schemas[entry[0]];
        if (text.Length < schema.Length + (2 * Digest))
        {
            return false;
        }
        schema.AsSpan().CopyTo(text);
        Convert.TryToHexStringLower(entry.Slice(1, Digest), text[schema.Length..], out var hex);
        written = schema.Length + hex;
        return true;
    }

    /// <summary>The bytes <see cref="WriteDigest"/> takes at most for a member of <paramref name="schema"/>.</summary>
    public static int DigestEntryLength(string schema) => CodeOf(schema) != Text ? 1 + Digest : 3 + Encoding.UTF8.GetByteCount(schema) + 1 + (2 * Digest);

    /// <summary>
    /// The entry of the member "<paramref name="schema"/>:hex(<paramref name="digest"/>)" written at the start of
    /// <paramref name="target"/>, as <see cref="Pack"/> would write that text; its length.
    /// </summary>
    public static int WriteDigest(string schema, ReadOnlySpan<byte> digest, Span<byte> target)
    {
        if (CodeOf(schema) is var code and not Text)
        {
            target[0] = code;
            digest[..Digest].CopyTo(target[1..]);
            return 1 + Digest;
        }
        var length = Encoding.UTF8.GetBytes(schema, target[3..]);
        target[3 + length++] = (byte)':';
        Convert.TryToHexStringLower(digest[..Digest], target[(3 + length)..], out var hex);
        length += hex;
        target[0] = Text;
        BinaryPrimitives.WriteUInt16BigEndian(target[1..], (ushort)length);
        return 3 + length;
    }

    /// <summary>A hash of an entry: a digest's bytes are already uniformly spread; text entries are hashed whole.</summary>
    public static int HashOf(ReadOnlySpan<byte> entry)
    {
        if (entry[0] != Text)
        {
            return MemoryMarshal.Read<int>(entry[1..]) ^ entry[0];
        }
        var hash = default(HashCode);
        hash.AddBytes(entry);
        return hash.ToHashCode();
    }

    private static byte CodeOf(string schema)
    {
        for (byte code = 1; code < Schemas.Length; code++)
        {
            if (Schemas[code].AsSpan(0, Schemas[code].Length - 1).SequenceEqual(schema))
            {
                return code;
            }
        }
        return Text;
    }

    private static void Write(ArrayBufferWriter<byte> packed, string member)
    {
        for (byte code = 1; code < Schemas.Length; code++)
        {
            var schema = Schemas[code];
            if (member.Length == schema.Length + (2 * Digest) && member.StartsWith(schema, StringComparison.Ordinal)
                && !member.AsSpan(schema.Length).ContainsAnyExcept(LowerHex))
            {
                var entry = packed.GetSpan(1 + Digest);
                entry[0] = code;
                Convert.FromHexString(member.AsSpan(schema.Length), entry.Slice(1, Digest), out _, out _);
                packed.Advance(1 + Digest);
                return;
            }
        }
        var length = Encoding.UTF8.GetByteCount(member);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"A member is at most {ushort.MaxValue} bytes of UTF-8.", nameof(member));
        }
        var text = packed.GetSpan(3 + length);
        text[0] = Text;
        BinaryPrimitives.WriteUInt16BigEndian(text[1..], (ushort)length);
        Encoding.UTF8.GetBytes(member, text[3..]);
        packed.Advance(3 + length);
    }
}

/// <summary>
/// A set of members replayed from packed chunks, in their packed form: each entry is a slice of the chunk it came
/// in, compared byte by byte, so a replay of a million members allocates no strings.
/// </summary>
public sealed class PackedMemberSet
{
    private readonly HashSet<ReadOnlyMemory<byte>> _members = new(EntryComparer.Instance);

    public int Count => _members.Count;

    public IEnumerable<ReadOnlyMemory<byte>> Entries => _members;

    /// <summary>Applies one chunk: its members added, or removed.</summary>
    public void Apply(ReadOnlyMemory<byte> packed, bool removes)
    {
        for (var offset = 0; offset < packed.Length;)
        {
            var length = PackedMembers.EntryLength(packed.Span[offset..]);
            var entry = packed.Slice(offset, length);
            if (removes)
            {
                _members.Remove(entry);
            }
            else
            {
                _members.Add(entry);
            }
            offset += length;
        }
    }

    /// <summary>The set as one packed value.</summary>
    public byte[] Pack()
    {
        var packed = new byte[_members.Sum(m => m.Length)];
        var offset = 0;
        foreach (var member in _members)
        {
            member.Span.CopyTo(packed.AsSpan(offset));
            offset += member.Length;
        }
        return packed;
    }

    private sealed class EntryComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly EntryComparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> entry) => PackedMembers.HashOf(entry.Span);
    }
}
