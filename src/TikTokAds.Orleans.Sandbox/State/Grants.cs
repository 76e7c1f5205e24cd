using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace TikTokAds.Orleans.Sandbox.State;

/// <summary>Access tokens, the advertisers and pixels each may use, and the advertisers' accounts.</summary>
public sealed class Grants
{
    /// <summary>TikTok's 12 advertiser statuses and 4 roles; the OAuth flow grants one account per status.</summary>
    public static readonly string[] Statuses =
    [
        "STATUS_ENABLE", "STATUS_DISABLE", "STATUS_PENDING_CONFIRM", "STATUS_PENDING_VERIFIED", "STATUS_CONFIRM_FAIL",
        "STATUS_CONFIRM_FAIL_END", "STATUS_PENDING_CONFIRM_MODIFY", "STATUS_CONFIRM_MODIFY_FAIL", "STATUS_LIMIT",
        "STATUS_WAIT_FOR_BPM_AUDIT", "STATUS_WAIT_FOR_PUBLIC_AUTH", "STATUS_SELF_SERVICE_UNAUDITED",
    ];

    public static readonly string[] Roles = ["ROLE_ADVERTISER", "ROLE_CHILD_ADVERTISER", "ROLE_CHILD_AGENT", "ROLE_AGENT"];

    private readonly ConcurrentDictionary<string, TokenGrant> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AdvertiserRecord> _advertisers = new(StringComparer.Ordinal);

    public Grants(IEnumerable<SandboxGrant> seed)
    {
        for (var i = 0; i < Statuses.Length; i++)
        {
            var id = (7100000000000000001L + i).ToString(CultureInfo.InvariantCulture);
            _advertisers[id] = new AdvertiserRecord(id, $"Sandbox Promoter {i + 1}", $"Sandbox Events Ltd {i + 1}", Statuses[i], Roles[i % Roles.Length], "EUR", "Europe/Bucharest", "RO");
        }
        foreach (var grant in seed)
        {
            Add(grant.AccessToken, grant.AdvertiserIds, grant.PixelCodes);
        }
    }

    /// <summary>The accounts the sandbox's OAuth consent grants: one in each status.</summary>
    public IReadOnlyList<string> OAuthAdvertisers => [.. _advertisers.Keys.Where(k => k.StartsWith("71", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    public TokenGrant Add(string? accessToken, IEnumerable<string> advertiserIds, IEnumerable<string> pixelCodes)
    {
        var token = string.IsNullOrEmpty(accessToken) ? "sbx-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)) : accessToken;
        var grant = new TokenGrant(token, [.. advertiserIds], [.. pixelCodes]);
        foreach (var advertiserId in grant.AdvertiserIds)
        {
            _advertisers.TryAdd(advertiserId, new AdvertiserRecord(advertiserId, $"Advertiser {advertiserId}", "Sandbox Events Ltd", "STATUS_ENABLE", "ROLE_ADVERTISER", "EUR", "Europe/Bucharest", "RO"));
        }
        _tokens[token] = grant;
        return grant;
    }

    public TokenGrant? Find(string? accessToken)
        => accessToken is { Length: > 0 } && _tokens.TryGetValue(accessToken, out var grant) && !grant.Revoked ? grant : null;

    public bool Revoke(string accessToken)
    {
        if (!_tokens.TryGetValue(accessToken, out var grant))
        {
            return false;
        }
        grant.Revoked = true;
        return true;
    }

    public AdvertiserRecord? Advertiser(string advertiserId) => _advertisers.GetValueOrDefault(advertiserId);
}

public sealed record TokenGrant(string AccessToken, HashSet<string> AdvertiserIds, HashSet<string> PixelCodes)
{
    public bool Revoked { get; set; }
}
