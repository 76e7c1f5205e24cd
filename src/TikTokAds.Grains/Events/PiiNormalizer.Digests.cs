using System.Security.Cryptography;

namespace TikTokAds.Grains.Events;

/// <summary>Where <see cref="PiiNormalizer"/>'s rules put a digest: one value's span, or a place in a batch.</summary>
public static partial class PiiNormalizer
{
    /// <summary>Where a normalised value's SHA-256 goes: hashed at once into a span, or queued in a batch.</summary>
    private interface IDigestTarget
    {
        /// <summary>The SHA-256 of <paramref name="normalized"/>, which the caller clears as soon as this returns.</summary>
        void Hash(scoped ReadOnlySpan<byte> normalized);

        /// <summary>A value that is already a SHA-256, as its bytes.</summary>
        bool FromHex(ReadOnlySpan<char> sha256);
    }

    private readonly ref struct IntoSpan(Span<byte> digest) : IDigestTarget
    {
        private readonly Span<byte> _digest = digest;

        public void Hash(scoped ReadOnlySpan<byte> normalized) => Sha256Batch.HashOne(normalized, _digest);

        public bool FromHex(ReadOnlySpan<char> sha256) => PiiNormalizer.FromHex(sha256, _digest);
    }

    private readonly struct IntoBatch(Sha256Batch batch, byte[] target, int offset) : IDigestTarget
    {
        public void Hash(scoped ReadOnlySpan<byte> normalized) => batch.Add(normalized, target, offset);

        public bool FromHex(ReadOnlySpan<char> sha256) => PiiNormalizer.FromHex(sha256, target.AsSpan(offset, SHA256.HashSizeInBytes));
    }
}
