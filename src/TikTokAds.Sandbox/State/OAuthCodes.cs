using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace TikTokAds.Sandbox.State;

/// <summary>auth_codes issued by the sandbox's consent page: single-use, valid for an hour.</summary>
public sealed class OAuthCodes(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AuthCode> _codes = new(StringComparer.Ordinal);

    public string Issue(IReadOnlyList<string> advertiserIds)
    {
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        _codes[code] = new AuthCode(advertiserIds, time.GetUtcNow());
        return code;
    }

    /// <summary>Redeems a code once; a second redemption, an unknown or an expired code fails.</summary>
    public (AuthCodeState State, IReadOnlyList<string> AdvertiserIds) Redeem(string code, TimeSpan lifetime)
    {
        if (!_codes.TryGetValue(code, out var issued))
        {
            return (AuthCodeState.Unknown, []);
        }
        if (Interlocked.Exchange(ref issued.Used, 1) == 1)
        {
            return (AuthCodeState.Used, []);
        }
        return time.GetUtcNow() - issued.IssuedAt > lifetime ? (AuthCodeState.Expired, []) : (AuthCodeState.Valid, issued.AdvertiserIds);
    }

    private sealed class AuthCode(IReadOnlyList<string> advertiserIds, DateTimeOffset issuedAt)
    {
        public IReadOnlyList<string> AdvertiserIds { get; } = advertiserIds;
        public DateTimeOffset IssuedAt { get; } = issuedAt;
#pragma warning disable CA1051 // Interlocked needs a field.
        public int Used;
#pragma warning restore CA1051
    }
}

public enum AuthCodeState
{
    Valid,
    Unknown,
    Used,
    Expired,
}
