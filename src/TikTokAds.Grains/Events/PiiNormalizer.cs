using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TikTokAds.Grains.Events;

/// <summary>
/// Normalises and hashes personal data before anything leaves the gateway (TIKTOK_API.md §1.4 and §7).
/// A value of exactly 64 hex characters is a caller's SHA-256: lowercased and passed through.
/// </summary>
public static partial class PiiNormalizer
{
    public const int MaxPhoneDigits = 15;
    public const int MinPhoneDigits = 7;
    private const int MaxStackEmail = 256;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// Trim, lowercase, SHA-256. Null for a value that is not an email (and not already a hash).
    /// Printable ASCII, the common case, is handled on the stack without intermediate strings.
    /// </summary>
    public static string? Email(string? raw)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        return TryEmailSha256(raw, digest) ? Hex(digest) : null;
    }

    /// <summary>
    /// <see cref="Email"/>'s SHA-256 as its 32 bytes, written into <paramref name="digest"/>: for callers that keep
    /// the digest as bytes (an audience's packed rows), with no hex string to make and parse back. False, with
    /// nothing written, for a value that is not an email and not already a hash.
    /// </summary>
    public static bool TryEmailSha256(ReadOnlySpan<char> raw, Span<byte> digest) => TryEmail(raw, new IntoSpan(digest));

    /// <summary>
    /// <see cref="TryEmailSha256(ReadOnlySpan{char}, Span{byte})"/> with the SHA-256 queued in <paramref name="batch"/>:
    /// its 32 bytes are in <paramref name="target"/> at <paramref name="offset"/> once the batch is flushed (a value that
    /// is already a hash is written at once). For callers that hash many values, an audience upload's rows.
    /// </summary>
    public static bool TryEmailSha256(ReadOnlySpan<char> raw, Sha256Batch batch, byte[] target, int offset) => TryEmail(raw, new IntoBatch(batch, target, offset));

    private static bool TryEmail<TDigest>(ReadOnlySpan<char> raw, TDigest digest)
        where TDigest : IDigestTarget, allows ref struct
    {
        var trimmed = raw.Trim();
        if (trimmed.IsEmpty)
        {
            return false;
        }
        if (IsSha256(trimmed))
        {
            return digest.FromHex(trimmed);
        }
        if (trimmed.Length <= MaxStackEmail && !trimmed.ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            Span<byte> lower = stackalloc byte[trimmed.Length];
            Ascii.ToLower(trimmed, lower, out _);
            var email = IsEmailShape(lower);
            if (email)
            {
                digest.Hash(lower);
            }
            lower.Clear();
            return email;
        }
        // Not printable ASCII (or very long): lowercased as a whole, then the shape's full rule.
        char[]? rented = null;
        var value = trimmed.Length <= MaxStackEmail ? stackalloc char[trimmed.Length] : (rented = ArrayPool<char>.Shared.Rent(trimmed.Length)).AsSpan(0, trimmed.Length);
        trimmed.ToLowerInvariant(value);
        var valid = EmailShape().IsMatch(value);
        if (valid)
        {
            Sha256Utf8Into(value, digest);
        }
        value.Clear();
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
        return valid;
    }

    /// <summary><see cref="EmailShape"/> (^[^@\s]+@[^@\s]+\.[^@\s]+$) on printable ASCII: one '@', no space, a dot inside the domain.</summary>
    private static bool IsEmailShape(ReadOnlySpan<byte> email)
    {
        var at = email.IndexOf((byte)'@');
        if (at < 1 || email.Contains((byte)' ') || email[(at + 1)..].Contains((byte)'@'))
        {
            return false;
        }
        var domain = email[(at + 1)..];
        return domain.Length >= 3 && domain[1..^1].Contains((byte)'.');
    }

    /// <summary>
    /// E.164 with '+', then SHA-256: digits only; a "00" prefix becomes "+"; a single leading 0 takes the
    /// connection's calling code; at most 15 digits. Null when no E.164 number can be made.
    /// </summary>
    public static string? Phone(string? raw, string? defaultCallingCode)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        return TryPhoneSha256(raw, defaultCallingCode, digest) ? Hex(digest) : null;
    }

    /// <summary><see cref="Phone"/>'s SHA-256 as its 32 bytes (see <see cref="TryEmailSha256"/>).</summary>
    public static bool TryPhoneSha256(ReadOnlySpan<char> raw, string? defaultCallingCode, Span<byte> digest) => TryPhone(raw, defaultCallingCode, new IntoSpan(digest));

    /// <summary><see cref="TryPhoneSha256(ReadOnlySpan{char}, string?, Span{byte})"/> with the SHA-256 queued in <paramref name="batch"/> (see <see cref="TryEmailSha256(ReadOnlySpan{char}, Sha256Batch, byte[], int)"/>).</summary>
    public static bool TryPhoneSha256(ReadOnlySpan<char> raw, string? defaultCallingCode, Sha256Batch batch, byte[] target, int offset)
        => TryPhone(raw, defaultCallingCode, new IntoBatch(batch, target, offset));

    private static bool TryPhone<TDigest>(ReadOnlySpan<char> raw, string? defaultCallingCode, TDigest digest)
        where TDigest : IDigestTarget, allows ref struct
    {
        var value = raw.Trim();
        if (value.IsEmpty)
        {
            return false;
        }
        if (IsSha256(value))
        {
            return digest.FromHex(value);
        }
        Span<char> e164 = stackalloc char[MaxE164Length];
        if (!TryE164(value, defaultCallingCode, e164, out var length))
        {
            return false;
        }
        Sha256Utf8Into(e164[..length], digest);
        e164.Clear();
        return true;
    }

    /// <summary>The E.164 form before hashing (exposed for tests and audience uploads).</summary>
    public static string? E164(string raw, string? defaultCallingCode)
    {
        Span<char> e164 = stackalloc char[MaxE164Length];
        return TryE164(raw, defaultCallingCode, e164, out var length) ? e164[..length].ToString() : null;
    }

    /// <summary>'+' and at most <see cref="MaxPhoneDigits"/> digits.</summary>
    private const int MaxE164Length = MaxPhoneDigits + 1;

    /// <summary><see cref="E164"/> into <paramref name="e164"/> (at least <see cref="MaxE164Length"/> long), without strings.</summary>
    private static bool TryE164(ReadOnlySpan<char> raw, string? defaultCallingCode, Span<char> e164, out int length)
    {
        length = 0;
        var count = 0;
        char first = '\0', second = '\0';
        foreach (var c in raw)
        {
            if (char.IsLetter(c))
            {
                return false;
            }
            if (char.IsAsciiDigit(c))
            {
                if (count == 0)
                {
                    first = c;
                }
                else if (count == 1)
                {
                    second = c;
                }
                count++;
            }
        }
        var international = raw.TrimStart().StartsWith('+') || raw.Contains("(+", StringComparison.Ordinal);
        var skip = 0;
        ReadOnlySpan<char> prefix = default;
        if (!international && first == '0' && second == '0')
        {
            skip = 2;
        }
        else if (!international && first == '0')
        {
            var code = defaultCallingCode.AsSpan().TrimStart('+');
            if (code.IsEmpty || code.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }
            prefix = code;
            skip = 1;
        }
        var total = prefix.Length + count - skip;
        if (total is < MinPhoneDigits or > MaxPhoneDigits)
        {
            return false;
        }
        e164[0] = '+';
        prefix.CopyTo(e164[1..]);
        var at = 1 + prefix.Length;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c) && skip-- <= 0)
            {
                e164[at++] = c;
            }
        }
        if (e164[1] == '0')
        {
            return false;
        }
        length = at;
        return true;
    }

    /// <summary>Trim, SHA-256, case kept.</summary>
    public static string? ExternalId(string? raw)
    {
        var value = raw.AsSpan().Trim();
        if (value.IsEmpty)
        {
            return null;
        }
        return IsSha256(value) ? LowerHex(value) : Sha256Utf8(value);
    }

    /// <summary>A value that is already a SHA-256, in the lowercase hex TikTok expects.</summary>
    private static string LowerHex(ReadOnlySpan<char> hash)
    {
        Span<char> lower = stackalloc char[hash.Length];
        hash.ToLowerInvariant(lower);
        return new string(lower);
    }

    public static bool IsSha256(string value) => IsSha256(value.AsSpan());

    private static bool IsSha256(ReadOnlySpan<char> value) => value.Length == 64 && !value.ContainsAnyExcept(HexDigits);

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes; the bytes and the digest stay on the stack (or a cleared pooled buffer).</summary>
    public static string Sha256(string value) => Sha256Utf8(value);

    private static string Sha256Utf8(ReadOnlySpan<char> value)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256Utf8Into(value, new IntoSpan(digest));
        return Hex(digest);
    }

    private static void Sha256Utf8Into<TDigest>(ReadOnlySpan<char> value, TDigest digest)
        where TDigest : IDigestTarget, allows ref struct
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var bytes = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var length = Encoding.UTF8.GetBytes(value, bytes);
        digest.Hash(bytes[..length]);
        // The bytes are personal data: nothing of them is left behind for the next user of the memory.
        bytes[..length].Clear();
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A digest as lowercase hex; the digest (on the caller's stack) is cleared.</summary>
    private static string Hex(Span<byte> digest)
    {
        var hex = Convert.ToHexStringLower(digest);
        digest.Clear();
        return hex;
    }

    /// <summary>A value that is already a SHA-256 (64 hex digits, checked) as its bytes.</summary>
    private static bool FromHex(ReadOnlySpan<char> hash, Span<byte> digest)
        => Convert.FromHexString(hash, digest, out _, out var written) == OperationStatus.Done && written == SHA256.HashSizeInBytes;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();
}
