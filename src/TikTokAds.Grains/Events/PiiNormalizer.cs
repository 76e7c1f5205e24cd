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
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return null;
        }
        if (trimmed.Length <= MaxStackEmail && !trimmed.ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            return AsciiEmail(trimmed);
        }
        var value = raw!.Trim();
        if (IsSha256(value))
        {
            return value.ToLowerInvariant();
        }
        value = value.ToLowerInvariant();
        return EmailShape().IsMatch(value) ? Sha256(value) : null;
    }

    private static string? AsciiEmail(ReadOnlySpan<char> value)
    {
        if (value.Length == 64 && !value.ContainsAnyExcept(HexDigits))
        {
            return string.Create(64, value.ToString(), static (target, hex) => hex.AsSpan().ToLowerInvariant(target));
        }
        Span<byte> lower = stackalloc byte[value.Length];
        Ascii.ToLower(value, lower, out _);
        if (!IsEmailShape(lower))
        {
            return null;
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(lower, hash);
        lower.Clear();
        return Convert.ToHexStringLower(hash);
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
        var value = raw?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (IsSha256(value))
        {
            return value.ToLowerInvariant();
        }
        return E164(value, defaultCallingCode) is { } e164 ? Sha256(e164) : null;
    }

    /// <summary>The E.164 form before hashing (exposed for tests and audience uploads).</summary>
    public static string? E164(string raw, string? defaultCallingCode)
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
            var code = defaultCallingCode?.TrimStart('+');
            if (string.IsNullOrEmpty(code) || !code.All(char.IsAsciiDigit))
            {
                return null;
            }
            digits = code + digits[1..];
        }
        return digits.Length is >= MinPhoneDigits and <= MaxPhoneDigits && digits[0] != '0' ? "+" + digits : null;
    }

    /// <summary>Trim, SHA-256, case kept.</summary>
    public static string? ExternalId(string? raw)
    {
        var value = raw?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return IsSha256(value) ? value.ToLowerInvariant() : Sha256(value);
    }

    public static bool IsSha256(string value) => value.Length == 64 && Hex().IsMatch(value);

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes; the bytes and the digest stay on the stack (or a cleared pooled buffer).</summary>
    public static string Sha256(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var bytes = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var length = Encoding.UTF8.GetBytes(value, bytes);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..length], digest);
        // The bytes are personal data: nothing of them is left behind for the next user of the memory.
        bytes[..length].Clear();
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return Convert.ToHexStringLower(digest);
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();
}
