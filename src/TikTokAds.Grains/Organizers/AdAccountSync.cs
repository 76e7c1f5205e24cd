using TikTokAds.Contracts.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Organizers;

/// <summary>
/// Keeping the ad accounts in step with TikTok: which advertisers each grant still covers, their details
/// (advertiser/info), and the account list rebuilt from what was fresh and what was last known.
/// </summary>
public static class AdAccountSync
{
    /// <summary>advertiser/info takes at most this many ids per call.</summary>
    public const int Batch = 100;

    /// <summary>
    /// Describes the grant's advertisers a hundred at a time. A rejection marks the grant for
    /// reauthorisation and an outage records the error; either stops the sync of this grant.
    /// </summary>
    public static async Task<AccountSync> DescribeAsync(
        AuthorizationRecord authorization,
        Func<IReadOnlyList<string>, CancellationToken, Task<TikTokResponse<AdvertiserInfoList>>> describe,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var accounts = new List<AdAccountView>();
        foreach (var chunk in authorization.AdvertiserIds.Chunk(Batch))
        {
            var info = await describe(chunk, cancellationToken);
            if (info.Outcome == TikTokOutcome.Authorization)
            {
                return Rejected(authorization, info.Code, info.Message) with { Accounts = accounts };
            }
            if (!info.IsSuccess)
            {
                return new AccountSync(authorization with { LastError = $"TikTok {info.Code}: {info.Message}" }, accounts, false);
            }
            accounts.AddRange((info.Data?.List ?? []).Where(a => a.AdvertiserId is not null).Select(a => new AdAccountView(
                a.AdvertiserId!, a.Name, a.Company, a.Status, a.Role, a.Currency, a.Timezone, a.Country, authorization.Id, now)));
        }
        return new AccountSync(authorization with { Status = AuthorizationStatus.Active, LastSyncedAt = now, LastError = null }, accounts, true);
    }

    /// <summary>The grant with the advertisers TikTok says it covers now; the last known ones when TikTok cannot say.</summary>
    public static AuthorizationRecord Regranted(AuthorizationRecord authorization, TikTokResponse<AuthorizedAdvertiserList> granted)
        => granted.IsSuccess
            ? authorization with { AdvertiserIds = [.. (granted.Data?.List ?? []).Select(a => a.AdvertiserId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] }
            : authorization;

    public static AccountSync Rejected(AuthorizationRecord authorization, int code, string message)
        => new(authorization with { Status = AuthorizationStatus.ReauthorisationRequired, LastError = $"TikTok {code}: {message}" }, [], false, code);

    /// <summary>
    /// Stores the grants as synced and rebuilds the account list from every grant's advertisers: fresh
    /// details first, then the last known, then a bare entry for an advertiser never described.
    /// </summary>
    public static OrganizerState Merge(OrganizerState state, IReadOnlyList<AccountSync> results, DateTimeOffset now)
    {
        var authorizations = new Dictionary<string, AuthorizationRecord>(state.Authorizations);
        foreach (var result in results)
        {
            authorizations[result.Authorization.Id] = result.Authorization;
        }
        var fresh = results.SelectMany(r => r.Accounts).GroupBy(a => a.AdvertiserId).ToDictionary(g => g.Key, g => g.Last());
        var accounts = new Dictionary<string, AdAccountView>();
        foreach (var authorization in authorizations.Values.OrderBy(a => a.AuthorizedAt))
        {
            foreach (var advertiserId in authorization.AdvertiserIds)
            {
                accounts[advertiserId] = fresh.GetValueOrDefault(advertiserId)
                    ?? state.AdAccounts.GetValueOrDefault(advertiserId)
                    ?? new AdAccountView(advertiserId, null, null, null, null, null, null, null, authorization.Id, now);
            }
        }
        return state with { Authorizations = authorizations, AdAccounts = accounts };
    }

    public static AdAccountSyncResult Summary(OrganizerState state, IReadOnlyList<AccountSync> results)
    {
        var complete = results.All(r => r.Complete);
        return new AdAccountSyncResult(complete, Views(state), AuthorizationGrants.Views(state),
            complete ? "Ad accounts are in sync with TikTok." : "Some authorizations could not be synced; see each one's status and last_error.");
    }

    public static AdAccountSyncResult NotConfigured(OrganizerState state) => new(false, Views(state), AuthorizationGrants.Views(state), TikTokOptions.NoAppMessage);

    public static IReadOnlyList<AdAccountView> Views(OrganizerState state)
        => [.. state.AdAccounts.Values.OrderBy(a => a.AdvertiserId, StringComparer.Ordinal)];
}

/// <summary>One grant after a sync: its record as it now stands, the accounts described, and the code if TikTok rejected it.</summary>
public sealed record AccountSync(AuthorizationRecord Authorization, IReadOnlyList<AdAccountView> Accounts, bool Complete, int? RejectedCode = null);
