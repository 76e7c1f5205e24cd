using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace TikTokAds.Sandbox.State;

/// <summary>Access tokens, the advertisers and pixels each may use, and the advertisers' accounts.</summary>
public sealed class Grants
{
    /// <summary>TikTok's 12 advertiser statuses (as seed 002 lists them) and 4 roles; the OAuth flow grants one account per status.</summary>
    public static readonly string[] Statuses =
    [
        "STATUS_ENABLE", "STATUS_DISABLE", "STATUS_PENDING_CONFIRM", "STATUS_PENDING_VERIFIED", "STATUS_CONFIRM_FAIL",
        "STATUS_CONFIRM_FAIL_END", "STATUS_CONFIRM_MODIFY_FAIL", "STATUS_LIMIT",
        "STATUS_WAIT_FOR_BPM_AUDIT", "STATUS_WAIT_FOR_PUBLIC_AUTH", "STATUS_SELF_SERVICE_UNAUDITED", "STATUS_CONTRACT_PENDING",
    ];

    public static readonly string[] Roles = ["ROLE_ADVERTISER", "ROLE_CHILD_ADVERTISER", "ROLE_CHILD_AGENT", "ROLE_AGENT"];

    private readonly ConcurrentDictionary<string, TokenGrant> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AdvertiserRecord> _advertisers = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _users = new(StringComparer.Ordinal);
    private int _userCount;

    public Grants(IEnumerable<SandboxGrant> seed)
    {
        OAuthAdvertisersFor("default");
        foreach (var grant in seed)
        {
            Add(grant.AccessToken, grant.AdvertiserIds, grant.PixelCodes);
        }
    }

    /// <summary>The accounts the default consent grants: one in each status.</summary>
    public IReadOnlyList<string> OAuthAdvertisers => OAuthAdvertisersFor("default");

    /// <summary>
    /// The accounts a TikTok user's consent grants: each user (sandbox_user on the consent page) has 12 of
    /// their own, one in each status, so several organizers can connect without sharing accounts.
    /// </summary>
    public IReadOnlyList<string> OAuthAdvertisersFor(string user) => _users.GetOrAdd(user, _ =>
    {
        lock (_users)
        {
            var index = _userCount++;
            var first = 7100000000000000001L + (index * 100L);
            var ids = new List<string>();
            for (var i = 0; i < Statuses.Length; i++)
            {
                var id = (first + i).ToString(CultureInfo.InvariantCulture);
                var n = (index * Statuses.Length) + i + 1;
                _advertisers[id] = new AdvertiserRecord(id, $"Sandbox Promoter {n}", $"Sandbox Events Ltd {n}", Statuses[i], Roles[i % Roles.Length], "EUR", "Europe/Bucharest", "RO");
                ids.Add(id);
            }
            return ids;
        }
    });

    /// <summary>Every token issued or provisioned (for tests that look for a token where it must not be).</summary>
    public IReadOnlyList<TokenGrant> All => [.. _tokens.Values];

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
