using System.Buffers;
using System.Globalization;

namespace TikTokAds.Grains.Events;

/// <summary>
/// A trace id as the embedded store keeps it: W3C's form (32 lowercase hex digits, what the gateway's activities give)
/// as two numbers, so a stored event holds no string for it; any other text is kept as it came.
/// </summary>
internal readonly struct PackedTraceId
{
    private const int Digits = 32;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private readonly ulong _high;
    private readonly ulong _low;
    private readonly bool _packed;
    private readonly string? _other;

    private PackedTraceId(ulong high, ulong low)
    {
        (_high, _low, _packed) = (high, low, true);
    }

    private PackedTraceId(string? other)
    {
        _other = other;
    }

    public static PackedTraceId Of(string? traceId)
    {
        if (traceId is not { Length: Digits } || traceId.AsSpan().ContainsAnyExcept(LowerHex))
        {
            return new PackedTraceId(traceId);
        }
        return new PackedTraceId(
            ulong.Parse(traceId.AsSpan(0, Digits / 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            ulong.Parse(traceId.AsSpan(Digits / 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
    }

    /// <summary>The trace id as it was given, or null when there was none.</summary>
    public string? Text => _packed
        ? string.Create(Digits, (_high, _low), static (digits, halves) =>
        {
            halves._high.TryFormat(digits, out _, "x16", CultureInfo.InvariantCulture);
            halves._low.TryFormat(digits[(Digits / 2)..], out _, "x16", CultureInfo.InvariantCulture);
        })
        : _other;
}
