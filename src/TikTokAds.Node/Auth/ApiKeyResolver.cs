using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Auth;

/// <summary>
/// Key → organizer, through the key's grain, remembered per node with the answer its requests get. A revoke is
/// immediate on the node that served it and at most <see cref="GatewayOptions.ApiKeyCacheTtl"/> late on the others.
/// Entries are found by the key's SHA-256 (never the key itself), computed on the stack.
/// </summary>
internal sealed class ApiKeyResolver(Func<string, Task<string?>> organizerOfKeyHash, IOptions<GatewayOptions> options)
{
    public ApiKeyResolver(IGrainFactory grains, IOptions<GatewayOptions> options)
        : this(hash => grains.ApiKey(hash).ResolveAsync(), options)
    {
    }

    /// <summary>Past this many remembered keys, adding one first drops the expired ones.</summary>
    private const int SweepAbove = 4096;

    private readonly ConcurrentDictionary<KeyDigest, Resolved> _resolved = new();

    /// <summary>Counts revokes, so an answer fetched before one is not remembered after it.</summary>
    private long _forgotten;

    /// <summary>The success answer for a key, or null for a malformed, unknown or revoked one.</summary>
    public ValueTask<Task<AuthenticateResult>?> AuthenticateAsync(ReadOnlySpan<char> key)
    {
        if (!ApiKeys.LooksValid(key))
        {
            return ValueTask.FromResult<Task<AuthenticateResult>?>(null);
        }
        var digest = KeyDigest.Of(key);
        return _resolved.TryGetValue(digest, out var known) && Environment.TickCount64 < known.ExpiresAt
            ? ValueTask.FromResult<Task<AuthenticateResult>?>(known.Answer)
            : ResolveAsync(digest);
    }

    /// <summary>Forgets a revoked key (its hash as <see cref="ApiKeys.Hash"/> writes it).</summary>
    public void Forget(string keyHash)
    {
        Interlocked.Increment(ref _forgotten);
        _resolved.TryRemove(KeyDigest.FromHex(keyHash), out _);
    }

    private async ValueTask<Task<AuthenticateResult>?> ResolveAsync(KeyDigest digest)
    {
        var forgotten = Interlocked.Read(ref _forgotten);
        var organizerId = await organizerOfKeyHash(digest.ToHex());
        if (organizerId is null)
        {
            _resolved.TryRemove(digest, out _);
            return null;
        }
        // The answer is shared by every request of this key for the TTL: the principal and the ticket are only read.
        var answer = Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new OrganizerPrincipal(organizerId), AuthSchemes.ApiKey)));
        var ttl = options.Value.ApiKeyCacheTtl;
        if (ttl > TimeSpan.Zero && Interlocked.Read(ref _forgotten) == forgotten)
        {
            if (_resolved.Count >= SweepAbove)
            {
                Sweep();
            }
            _resolved[digest] = new Resolved(answer, Environment.TickCount64 + (long)ttl.TotalMilliseconds);
        }
        return answer;
    }

    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var (digest, resolved) in _resolved)
        {
            if (resolved.ExpiresAt <= now)
            {
                _resolved.TryRemove(new KeyValuePair<KeyDigest, Resolved>(digest, resolved));
            }
        }
    }

    private sealed record Resolved(Task<AuthenticateResult> Answer, long ExpiresAt);

    /// <summary>A key's SHA-256 as a value, so a lookup allocates nothing.</summary>
    internal readonly record struct KeyDigest(ulong A, ulong B, ulong C, ulong D)
    {
        /// <summary>The same digest as <see cref="ApiKeys.Hash"/>, for a key that passed <see cref="ApiKeys.LooksValid"/>.</summary>
        public static KeyDigest Of(ReadOnlySpan<char> key)
        {
            Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(ApiKeys.MaxLength)];
            var length = Encoding.UTF8.GetBytes(key, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..length], hash);
            bytes[..length].Clear();
            return From(hash);
        }

        public static KeyDigest FromHex(string hex) => From(Convert.FromHexString(hex));

        public string ToHex()
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            BinaryPrimitives.WriteUInt64BigEndian(hash, A);
            BinaryPrimitives.WriteUInt64BigEndian(hash[8..], B);
            BinaryPrimitives.WriteUInt64BigEndian(hash[16..], C);
            BinaryPrimitives.WriteUInt64BigEndian(hash[24..], D);
            return Convert.ToHexStringLower(hash);
        }

        private static KeyDigest From(ReadOnlySpan<byte> hash) => new(
            BinaryPrimitives.ReadUInt64BigEndian(hash),
            BinaryPrimitives.ReadUInt64BigEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(hash[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(hash[24..]));
    }
}
