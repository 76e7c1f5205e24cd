using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace TikTokAds.Grains;

/// <summary>
/// A 64-bit key for a tuple of strings: each string's XxHash3 is seeded with the hash of the ones before it (the first
/// with the caller's seed), so ("ab", "c") and ("a", "bc") differ. Callers that keep such keys instead of the strings
/// pick a random seed per process and accept odds of about count / 2^64 that two tuples share one.
/// </summary>
internal static class ChainedHash
{
    public static ulong Of(long seed, params ReadOnlySpan<string> parts)
    {
        var hash = unchecked((ulong)seed);
        foreach (var part in parts)
        {
            hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(part.AsSpan()), unchecked((long)hash));
        }
        return hash;
    }
}
