using System.Security.Cryptography;
using System.Text;
using TikTokAds.Grains.Audiences;

namespace TikTokAds.Grains.Tests.Audiences;

public sealed class PackedMembersTests
{
    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static List<string> Entries(byte[] packed)
    {
        var members = new List<string>();
        for (var offset = 0; offset < packed.Length; offset += PackedMembers.EntryLength(packed.AsSpan(offset)))
        {
            members.Add(PackedMembers.Unpack(packed.AsSpan(offset)[..PackedMembers.EntryLength(packed.AsSpan(offset))]));
        }
        return members;
    }

    [Fact]
    public void Email_and_phone_hashes_take_33_bytes_and_anything_else_its_text()
    {
        string[] members = [$"EMAIL_SHA256:{Hash("a@example.com")}", $"PHONE_SHA256:{Hash("+40721234567")}", $"EMAIL_SHA256:{Hash("b@example.com").ToUpperInvariant()}", "IDFA_SHA256:not-a-hash", "EMAIL_SHA256:şir"];

        var (packed, count) = PackedMembers.Pack(members);

        Assert.Equal(5, count);
        Assert.Equal((2 * 33) + members[2..].Sum(m => 3 + Encoding.UTF8.GetByteCount(m)), packed.Length);
        Assert.Equal(members, Entries(packed));
    }

    [Fact]
    public void A_chunk_holds_each_member_once()
    {
        var email = $"EMAIL_SHA256:{Hash("a@example.com")}";

        var (packed, count) = PackedMembers.Pack([email, email, "X:1", "X:1"]);

        Assert.Equal(2, count);
        Assert.Equal([email, "X:1"], Entries(packed));
    }

    [Fact]
    public void A_replay_applies_chunks_in_order_and_packs_what_is_left()
    {
        var (a, b, c) = ($"EMAIL_SHA256:{Hash("a")}", $"PHONE_SHA256:{Hash("b")}", "OTHER:c");
        var set = new PackedMemberSet();

        set.Apply(PackedMembers.Pack([a, b, c]).Packed, removes: false);
        set.Apply(PackedMembers.Pack([a, c, "OTHER:never added"]).Packed, removes: true);
        set.Apply(PackedMembers.Pack([a]).Packed, removes: false);
        set.Apply(PackedMembers.Pack([b]).Packed, removes: false);

        Assert.Equal(2, set.Count);
        Assert.Equal([a, b], Entries(set.Pack()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_text_form_too_long_for_the_buffer_is_refused_not_cut()
    {
        var (packed, _) = PackedMembers.Pack([$"OTHER:{new string('x', 300)}"]);

        Assert.False(PackedMembers.TryUnpack(packed, new char[PackedMembers.MaxTextLength], out _));
        Assert.Equal($"OTHER:{new string('x', 300)}", PackedMembers.Unpack(packed));
    }
}

public sealed class MemberChunkTests
{
    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [Fact]
    public void Members_of_packed_rows_are_packed_as_their_text_would_be_each_once()
    {
        var (a, b, c) = (Hash("a"), Hash("b"), Hash("c"));
        // A schema other than email and phone keeps its text; an empty cell is no member; a repeated row adds none.
        string[] schema = ["EMAIL_SHA256", "MAID_SHA256"];
        string[] rows = [$"{a},{b}", $",{c}", $"{a},{b}", $"{c},"];

        var chunk = MemberChunk.FromRows(RunRows.OfPacked(PackedRows.TryPack(rows, 2)!, 2), schema);

        string[] expected = [$"EMAIL_SHA256:{a}", $"MAID_SHA256:{b}", $"MAID_SHA256:{c}", $"EMAIL_SHA256:{c}"];
        Assert.Equal(4, chunk.Count);
        Assert.Equal(expected, chunk);
        var (packed, count) = PackedMembers.Pack(expected);
        Assert.Equal(count, chunk.Count);
        Assert.Equal(packed.Length, chunk.Packed.Length);
        var set = new PackedMemberSet();
        set.Apply(packed, removes: false);
        set.Apply(chunk.Packed, removes: true);
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void A_chunk_of_strings_is_each_member_once()
    {
        var chunk = MemberChunk.Of([$"EMAIL_SHA256:{Hash("a")}", $"EMAIL_SHA256:{Hash("a")}", "X:1"]);

        Assert.Equal(2, chunk.Count);
        Assert.Equal(33 + 3 + 3, chunk.Packed.Length);
    }

    [Fact]
    public void Rows_that_are_not_packed_or_do_not_match_the_schema_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MemberChunk.FromRows(RunRows.OfText(["a"]), ["EMAIL_SHA256"]));
        Assert.Throws<ArgumentException>(() => MemberChunk.FromRows(RunRows.OfPacked(new byte[33], 1), ["EMAIL_SHA256", "PHONE_SHA256"]));
    }
}
