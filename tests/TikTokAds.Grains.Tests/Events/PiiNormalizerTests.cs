using System.Security.Cryptography;
using System.Text;
using TikTokAds.Grains.Events;

namespace TikTokAds.Grains.Tests.Events;

public sealed class PiiNormalizerTests
{
    private static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [Theory]
    [InlineData("+40 721 234 567", null, "+40721234567")] // TIKTOK_API.md §7's own vector
    [InlineData("(+1)2133734253", null, "+12133734253")] // §1.4's vector
    [InlineData("+1 (213) 373-4253", null, "+12133734253")]
    [InlineData("0040721234567", null, "+40721234567")]
    [InlineData("00 40 721 234 567", null, "+40721234567")]
    [InlineData("0721 234 567", "40", "+40721234567")]
    [InlineData("0721-234-567", "+40", "+40721234567")]
    [InlineData("40721234567", null, "+40721234567")]
    [InlineData("  +44 20 7946 0958  ", null, "+442079460958")]
    public void Phones_become_e164_with_a_plus(string raw, string? callingCode, string expected)
        => Assert.Equal(expected, PiiNormalizer.E164(raw, callingCode));

    [Theory]
    [InlineData("0721 234 567", null)] // national, and the connection has no calling code
    [InlineData("call me", null)]
    [InlineData("+40 72A 234", null)]
    [InlineData("+123", null)] // too short
    [InlineData("+1234567890123456", null)] // 16 digits: longer than E.164 allows
    [InlineData("+0721234567", null)] // no country code starts with 0
    public void Numbers_that_cannot_be_e164_are_refused(string raw, string? callingCode)
        => Assert.Null(PiiNormalizer.E164(raw, callingCode));

    [Fact]
    public void A_phone_is_hashed_in_its_e164_form()
        => Assert.Equal(Sha("+40721234567"), PiiNormalizer.Phone("+40 721 234 567", null));

    [Theory]
    [InlineData("fan@example.com")]
    [InlineData("  Fan@Example.COM ")]
    [InlineData("\tFAN@EXAMPLE.COM\n")]
    public void Emails_are_trimmed_and_lowercased_before_hashing(string raw)
        => Assert.Equal(Sha("fan@example.com"), PiiNormalizer.Email(raw));

    [Fact]
    public void Email_dots_and_plus_tags_are_kept()
        => Assert.Equal(Sha("first.last+vip@gmail.com"), PiiNormalizer.Email("First.Last+VIP@gmail.com"));

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("two@@signs.com")]
    public void Things_that_are_not_emails_are_refused(string raw) => Assert.Null(PiiNormalizer.Email(raw));

    [Fact]
    public void External_ids_are_trimmed_and_keep_their_case()
    {
        Assert.Equal(Sha("User-42"), PiiNormalizer.ExternalId("  User-42 "));
        Assert.NotEqual(PiiNormalizer.ExternalId("User-42"), PiiNormalizer.ExternalId("user-42"));
    }

    [Fact]
    public void A_caller_made_sha256_is_lowercased_and_never_hashed_twice()
    {
        var hash = Sha("fan@example.com");

        Assert.Equal(hash, PiiNormalizer.Email(hash.ToUpperInvariant()));
        Assert.Equal(hash, PiiNormalizer.Phone(hash, null));
        Assert.Equal(hash, PiiNormalizer.ExternalId(" " + hash + " "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_values_are_absent_not_hashed(string? raw)
    {
        Assert.Null(PiiNormalizer.Email(raw));
        Assert.Null(PiiNormalizer.Phone(raw, "40"));
        Assert.Null(PiiNormalizer.ExternalId(raw));
    }

    /// <summary>The E.164 rule as written (and as it was first coded, with strings): what the span version must match.</summary>
    private static string? WrittenE164(string raw, string? callingCode)
    {
        if (raw.Any(char.IsLetter))
        {
            return null;
        }
        var international = raw.TrimStart().StartsWith('+') || raw.Contains("(+", StringComparison.Ordinal);
        var digits = new string([.. raw.Where(char.IsAsciiDigit)]);
        if (!international && digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        else if (!international && digits.StartsWith('0'))
        {
            var code = callingCode?.TrimStart('+');
            if (string.IsNullOrEmpty(code) || !code.All(char.IsAsciiDigit))
            {
                return null;
            }
            digits = code + digits[1..];
        }
        return digits.Length is >= PiiNormalizer.MinPhoneDigits and <= PiiNormalizer.MaxPhoneDigits && digits[0] != '0' ? "+" + digits : null;
    }

    public static TheoryData<string, string?> Phones => new()
    {
        { "+40 721 234 567", null }, { "0040721234567", "40" }, { "0721234567", "40" }, { "0721234567", "++40" }, { "0721234567", "4O" },
        { "0721234567", "" }, { "000721234567", null }, { "0 0 40 721 234 567", null }, { "(+40)0721234567", null }, { " +0040721234567", null },
        { "0", "40" }, { "00", null }, { "0123456", "1" }, { "012345", "1" }, { "01234567890123456", "1" }, { "0123456789012345", "12" },
        { "123456", null }, { "1234567", null }, { "123456789012345", null }, { "1234567890123456", null }, { "00123456789012345", null },
        { "\u0661\u0662\u0663 4567890", null }, { "+40 721\u00A0234 567", null }, { "+40-721-234-567 ext", null }, { "++40721234567", null },
        { "0721 234 567", "+1234567890123" }, { "+1", null }, { "+", null }, { "-", "40" }, { "0000000", "40" }, { "00000000000", null },
    };

    [Theory]
    [MemberData(nameof(Phones))]
    public void Phones_follow_the_written_rule_and_are_hashed_in_that_form(string raw, string? callingCode)
    {
        var expected = WrittenE164(raw, callingCode);

        Assert.Equal(expected, PiiNormalizer.E164(raw, callingCode));
        Assert.Equal(expected is null ? null : Sha(expected), PiiNormalizer.Phone(raw, callingCode));
    }

    [Theory]
    [InlineData("User-42")]
    [InlineData(" Ünïcödé-ID ")]
    [InlineData("id with spaces\tinside")]
    public void External_ids_hash_their_trimmed_utf8(string raw)
        => Assert.Equal(Sha(raw.Trim()), PiiNormalizer.ExternalId(raw));

    [Fact]
    public void A_batch_gives_each_value_the_digest_it_gets_alone()
    {
        // Emails of every path (printable ASCII, not ASCII, longer than one block, already a hash, not an email) and
        // phones, queued in one batch in a mixed order: each digest must land in its own place and match the one-value form.
        string[] emails =
        [
            "fan@example.com", "  Fan@Example.COM ", "Ünïcödé@Example.com", "not an email", "",
            new string('a', 60) + "@example.com", Sha("fan@example.com").ToUpperInvariant(), "a@b.c", "a@@b.c",
        ];
        (string Raw, string? Code)[] phones = [("+40 721 234 567", null), ("0721 234 567", "40"), ("call me", null), (Sha("+40721234567"), null)];
        var cells = emails.Length + phones.Length;
        var batched = new byte[cells * 32];
        var alone = new byte[cells * 32];
        var batch = new Sha256Batch();
        var valid = new bool[cells];
        for (var i = 0; i < cells; i++)
        {
            var j = (i * 5) % cells; // a scrambled order that still visits every cell once (5 and 13 share no factor)
            if (j < emails.Length)
            {
                valid[j] = PiiNormalizer.TryEmailSha256(emails[j], batch, batched, j * 32);
                Assert.Equal(valid[j], PiiNormalizer.TryEmailSha256(emails[j], alone.AsSpan(j * 32, 32)));
            }
            else
            {
                var (raw, code) = phones[j - emails.Length];
                valid[j] = PiiNormalizer.TryPhoneSha256(raw, code, batch, batched, j * 32);
                Assert.Equal(valid[j], PiiNormalizer.TryPhoneSha256(raw, code, alone.AsSpan(j * 32, 32)));
            }
        }
        batch.Flush();
        Assert.Equal(Convert.ToHexStringLower(alone), Convert.ToHexStringLower(batched));
        Assert.Equal([true, true, true, false, false, true, true, true, false, true, true, false, true], valid);
        Assert.Equal(PiiNormalizer.Email("Ünïcödé@Example.com"), Convert.ToHexStringLower(batched.AsSpan(2 * 32, 32)));
    }
}
