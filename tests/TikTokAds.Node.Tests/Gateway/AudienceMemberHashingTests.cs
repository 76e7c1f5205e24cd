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
        Assert.Equal(Definition(raw), EmailDigest(raw));
    }

    private static string? EmailDigest(string? raw)
    {
        var digest = new byte[32];
        return PiiNormalizer.TryEmailSha256(raw, digest) ? Convert.ToHexStringLower(digest) : null;
    }

    private static string? PhoneDigest(string? raw)
    {
        var digest = new byte[32];
        return PiiNormalizer.TryPhoneSha256(raw, null, digest) ? Convert.ToHexStringLower(digest) : null;
    }

    [Theory]
    [InlineData("+40 721 234 567")]
    [InlineData("0040721234567")]
    [InlineData("0721234567")]
    [InlineData("+1 (555) 010-9999 ext")]
    [InlineData("123")]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef")]
    [InlineData("fan@example.com")]
    [InlineData("  ")]
    [InlineData(null)]
    public void The_phone_digest_follows_its_definition(string? raw)
    {
        // The phone rule as written: trim; a 64-hex value passes through lowercased; otherwise SHA-256 of the E.164 form.
        var value = raw?.Trim();
        var expected = string.IsNullOrEmpty(value) ? null
            : value.Length == 64 && value.All(Uri.IsHexDigit) ? value.ToLowerInvariant()
            : PiiNormalizer.E164(value, null) is { } e164 ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e164)))
            : null;

        Assert.Equal(expected, PhoneDigest(raw));
        Assert.Equal(expected, PiiNormalizer.Phone(raw, null));
    }

    [Fact]
    public void A_long_email_follows_its_definition()
    {
        var raw = new string('x', 600) + "@example.com";

        Assert.Equal(Definition(raw), PiiNormalizer.Email(raw));
        Assert.Equal(Definition(raw), EmailDigest(raw));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Many_rows_hashed_over_several_cores_keep_their_order_and_drop_invalid_ones(bool hashAhead)
    {
        var members = Enumerable.Range(0, 50_000).Select(i => (IReadOnlyList<string?>)[i % 10 == 0 ? "not an email" : $"m{i}@example.com", i % 2 == 0 ? "+40 721 234 567" : null]).ToList();

        var (packed, valid) = await AudienceMembers.HashAsync(["EMAIL_SHA256", "PHONE_SHA256"], MemberRows.Of(members, hashAhead));

        var expected = members.Select(m => $"{PiiNormalizer.Email(m[0]) ?? ""},{PiiNormalizer.Phone(m[1], null) ?? ""}").Where(r => r != ",").ToList();
        Assert.Equal(expected, PackedRows.Unpack(packed, 2));
        Assert.Equal(expected.Count, valid);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_caller_hash_passes_through_lowercased_and_a_row_with_no_valid_identifier_is_dropped(bool hashAhead)
    {
        var hash = "0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef";
        var members = MemberRows.Of([.. Enumerable.Repeat<IReadOnlyList<string?>>(["not an email"], AudienceMembers.Block), [hash], [null]], hashAhead);

        var (packed, valid) = await AudienceMembers.HashAsync(["EMAIL_SHA256"], members);

        Assert.Equal(1, valid);
        Assert.Equal([hash.ToLowerInvariant()], PackedRows.Unpack(packed, 1));
    }

    /// <summary>Cells of every kind in either column: the guess made before id_schema is known is right, wrong or absent.</summary>
    private static readonly string?[] Kinds =
    [
        "fan@example.com", " Fan@Example.COM ", "+40 721 234 567", "0040721234567", "0721234567", "not an email", "123@456.78",
        "0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef", "Ünïcode@Example.com", "", "  ", null,
    ];

    [Theory]
    [InlineData("EMAIL_SHA256", "PHONE_SHA256")]
    [InlineData("PHONE_SHA256", "EMAIL_SHA256")]
    public async Task Rows_hashed_ahead_of_their_schema_pack_exactly_as_rows_hashed_after_it(string first, string second)
    {
        // Three and a half blocks: three hashed ahead, the rest after; every pair of kinds in every row place.
        var rows = Enumerable.Range(0, (3 * AudienceMembers.Block) + (AudienceMembers.Block / 2))
            .Select(i => (IReadOnlyList<string?>)[Kinds[i % Kinds.Length], Kinds[(i / Kinds.Length) % Kinds.Length]])
            .ToList();
        var expected = rows.Select(r => string.Join(",", r.Select((cell, p) => (p == 0 ? first : second) == "EMAIL_SHA256" ? PiiNormalizer.Email(cell) : PiiNormalizer.Phone(cell, null))))
            .Where(r => r != ",")
            .ToList();

        var ahead = MemberRows.Of(rows, hashAhead: true);
        var (packed, valid) = await AudienceMembers.HashAsync([first, second], ahead);
        var (after, _) = await AudienceMembers.HashAsync([first, second], MemberRows.Of(rows));

        Assert.Equal(3, (await ahead.HashedAheadAsync()).Length);
        Assert.Equal(expected, PackedRows.Unpack(packed, 2));
        Assert.Equal(expected.Count, valid);
        Assert.Equal(after, packed);
    }

    [Fact]
    public async Task A_body_read_from_json_is_hashed_ahead_block_by_block()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, (2 * AudienceMembers.Block) + 1).Select(i => $"[\"m{i}@example.com\"]")) + "]";

        var members = System.Text.Json.JsonSerializer.Deserialize<MemberRows>(json)!;

        Assert.Equal(2, (await members.HashedAheadAsync()).Length);
        var (packed, valid) = await AudienceMembers.HashAsync(["EMAIL_SHA256"], members);
        Assert.Equal((2 * AudienceMembers.Block) + 1, valid);
        Assert.Equal(PiiNormalizer.Email($"m{AudienceMembers.Block}@example.com"), PackedRows.Unpack(packed, 1)[AudienceMembers.Block]);
    }

    [Fact]
    public async Task Rows_past_the_limit_are_hashed_after_the_read_and_pack_as_the_rest()
    {
        var rows = Enumerable.Range(0, AudienceMembers.HashAheadUpTo + (2 * AudienceMembers.Block))
            .Select(i => (IReadOnlyList<string?>)[$"m{i}@example.com"])
            .ToList();

        var ahead = MemberRows.Of(rows, hashAhead: true);
        var (packed, valid) = await AudienceMembers.HashAsync(["EMAIL_SHA256"], ahead);
        var (after, _) = await AudienceMembers.HashAsync(["EMAIL_SHA256"], MemberRows.Of(rows));

        Assert.Equal(AudienceMembers.HashAheadUpTo / AudienceMembers.Block, (await ahead.HashedAheadAsync()).Length);
        Assert.Equal(rows.Count, valid);
        Assert.Equal(after, packed);
    }

    [Fact]
    public async Task Nothing_after_a_row_wider_than_any_schema_is_hashed_ahead()
    {
        var rows = Enumerable.Range(0, 4 * AudienceMembers.Block)
            .Select(i => (IReadOnlyList<string?>)(i == AudienceMembers.Block + 7 ? ["a@example.com", "+40721234567", "b@example.com"] : [$"m{i}@example.com"]))
            .ToList();

        var members = MemberRows.Of(rows, hashAhead: true);

        Assert.Single(await members.HashedAheadAsync());
    }
}
