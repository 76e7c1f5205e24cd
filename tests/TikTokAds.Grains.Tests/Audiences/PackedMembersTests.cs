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
