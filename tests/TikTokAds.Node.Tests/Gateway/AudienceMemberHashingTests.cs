using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TikTokAds.Grains.Audiences;
using TikTokAds.Grains.Events;
using TikTokAds.Node.Apis.Audiences;

namespace TikTokAds.Node.Tests.Gateway;

public sealed partial class AudienceMemberHashingTests
{
    /// <summary>The email rule as written (TIKTOK_API.md): trim; a 64-hex value passes through lowercased; otherwise lowercase, the shape regex, SHA-256.</summary>
    private static string? Definition(string? raw)
    {
        var value = raw?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length == 64 && value.All(Uri.IsHexDigit))
        {
            return value.ToLowerInvariant();
        }
        value = value.ToLowerInvariant();
        return Shape().IsMatch(value) ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))) : null;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Shape();

    [Theory]
    [InlineData("fan@example.com")]
    [InlineData("  Fan.Name+tag@Example.COM \t")]
    [InlineData("A@B.CO")]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef")]
    [InlineData(" 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ")]
    [InlineData("no-at-sign.example.com")]
    [InlineData("two@@example.com")]
    [InlineData("a@b@example.com")]
    [InlineData("@example.com")]
    [InlineData("fan@example.")]
    [InlineData("fan@.com")]
    [InlineData("fan@.c.")]
    [InlineData("fan@a.c")]
    [InlineData("fan@example")]
    [InlineData("fan name@example.com")]
    [InlineData("fan\u00A0name@example.com")]
    [InlineData("fan\u001Fname@example.com")]
    [InlineData("fan\nname@example.com")]
    [InlineData("fan@example.com\n")]
    [InlineData("Ünïcode@Example.com")]
    [InlineData("İstanbul@example.com")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void The_email_hash_follows_its_definition(string? raw)
    {
        Assert.Equal(Definition(raw), PiiNormalizer.Email(raw));
    }

    [Fact]
    public void A_long_email_follows_its_definition()
    {
        var raw = new string('x', 600) + "@example.com";

        Assert.Equal(Definition(raw), PiiNormalizer.Email(raw));
    }

    [Fact]
    public void Many_rows_hashed_over_several_cores_keep_their_order_and_drop_invalid_ones()
    {
        var members = Enumerable.Range(0, 50_000).Select(i => (IReadOnlyList<string?>)[i % 10 == 0 ? "not an email" : $"m{i}@example.com", i % 2 == 0 ? "+40 721 234 567" : null]).ToList();

        var (packed, valid) = AudienceMembers.Hash(["EMAIL_SHA256", "PHONE_SHA256"], MemberRows.Of(members));

        var expected = members.Select(m => $"{PiiNormalizer.Email(m[0]) ?? ""},{PiiNormalizer.Phone(m[1], null) ?? ""}").Where(r => r != ",").ToList();
        Assert.Equal(expected, PackedRows.Unpack(packed, 2));
        Assert.Equal(expected.Count, valid);
    }

    [Fact]
    public void A_caller_hash_passes_through_lowercased_and_a_row_with_no_valid_identifier_is_dropped()
    {
        var hash = "0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef";
        var members = MemberRows.Of([["not an email"], [hash], [null]]);

        var (packed, valid) = AudienceMembers.Hash(["EMAIL_SHA256"], members);

        Assert.Equal(1, valid);
        Assert.Equal([hash.ToLowerInvariant()], PackedRows.Unpack(packed, 1));
    }
}
