using TikTokAds.Contracts;
using System.Security.Cryptography;
using System.Text;
using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Organizers;

/// <summary>The OAuth connection: consents, authorizations (encrypted tokens) and the ad accounts they grant.</summary>
public sealed partial class OrganizerGrain
{
    private const string AdAccountReminder = "ad-accounts";

    /// <summary>Consents kept per organizer at most; the oldest go first.</summary>
    private const int MaxPendingConsents = 50;

    /// <summary>advertiser/info takes at most this many ids per call.</summary>
    private const int AdvertiserInfoBatch = 100;

    public async Task<AuthorizationStart?> BeginAuthorizationAsync(TimeSpan lifetime)
    {
        if (!Current.Exists)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(32));
        var consent = new PendingConsent(HashOf(nonce), now + lifetime, null);
        var kept = Current.Consents.Where(c => c.ExpiresAt > now).TakeLast(MaxPendingConsents - 1);
        state.State = Current with { Consents = [.. kept, consent] };
        await state.WriteStateAsync();
        return new AuthorizationStart($"{GrainKey}.{nonce}", consent.ExpiresAt);
    }

    public async Task<AuthorizationResult> CompleteAuthorizationAsync(string nonce, string authCode)
    {
        if (!Current.Exists)
        {
            return Refusal(AuthorizationOutcome.OrganizerNotFound, 0, "Unknown organizer.");
        }
        var app = tiktokOptions.Value;
        if (!app.HasApp)
        {
            return Refusal(AuthorizationOutcome.NotConfigured, 0, TikTokOptions.NoAppMessage);
        }
        var now = time.GetUtcNow();
        var hash = HashOf(nonce);
        var consent = Current.Consents.FirstOrDefault(c => c.NonceHash == hash);
        if (consent is null)
        {
            return Refusal(AuthorizationOutcome.StateUnknown, 0, "The state is unknown: start the connection again with GET /oauth/start.");
        }
        if (consent.UsedAt is not null)
        {
            return Refusal(AuthorizationOutcome.StateUsed, 0, "This consent was already completed; a state works once. Start again with GET /oauth/start.");
        }
        if (consent.ExpiresAt <= now)
        {
            return Refusal(AuthorizationOutcome.StateExpired, 0, "The consent took too long and its state expired. Start again with GET /oauth/start.");
        }
        // Burnt before TikTok is asked, so a replayed callback can never exchange twice.
        state.State = Current with { Consents = [.. Current.Consents.Select(c => c.NonceHash == hash ? c with { UsedAt = now } : c)] };
        await state.WriteStateAsync();

        var exchange = await TikTokCalls.WithinAsync(TokenCheckBudget, ct => tiktok.ExchangeAuthCodeAsync(app.AppId, app.AppSecret, authCode, ct));
        if (!exchange.IsSuccess || string.IsNullOrEmpty(exchange.Data?.AccessToken))
        {
            return exchange.Outcome switch
            {
                TikTokOutcome.Authorization or TikTokOutcome.InvalidRequest => Refusal(AuthorizationOutcome.CodeRejected, exchange.Code, $"TikTok refused the auth_code: {exchange.Message} An auth_code works once and for one hour; start again."),
                TikTokOutcome.Success => Refusal(AuthorizationOutcome.TikTokRefused, exchange.Code, "TikTok returned no access token."),
                _ => Refusal(AuthorizationOutcome.TikTokUnavailable, exchange.Code, $"TikTok is not answering ({exchange.Code}): {exchange.Message}"),
            };
        }
        var advertiserIds = (exchange.Data.AdvertiserIds ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var record = new AuthorizationRecord(
            "auth_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), protector.Protect(exchange.Data.AccessToken, GrainKey),
            advertiserIds, exchange.Data.Scope ?? [], AuthorizationStatus.Active, now, null, null);
        // A new consent for the same advertisers replaces the old grant (that is how a token is refreshed).
        var authorizations = Current.Authorizations.Values
            .Where(a => !a.AdvertiserIds.All(advertiserIds.Contains))
            .ToDictionary(a => a.Id);
        authorizations[record.Id] = record;
        state.State = Current with
        {
            Authorizations = authorizations,
            DeletedAdvertisers = [.. Current.DeletedAdvertisers.Except(advertiserIds)],
        };
        await state.WriteStateAsync();
        GrainsLog.Authorized(logger, GrainKey, record.Id, advertiserIds.Count);

        var synced = await DescribeAccountsAsync(record, exchange.Data.AccessToken, advertiserIds);
        await SaveSyncAsync([synced]);
        foreach (var advertiserId in advertiserIds)
        {
            await GrainFactory.LeadRouter(advertiserId).RegisterAsync(GrainKey, null);
        }
        await this.RegisterOrUpdateReminder(AdAccountReminder, oauthOptions.Value.AdAccountSyncInterval, oauthOptions.Value.AdAccountSyncInterval);
        var view = Current.Authorizations[record.Id].ToView();
        var accounts = Current.AdAccounts.Values.Where(a => a.AuthorizationId == record.Id).OrderBy(a => a.AdvertiserId, StringComparer.Ordinal).ToList();
        return new AuthorizationResult(AuthorizationOutcome.Authorized, view, accounts, 0, $"Authorized for {advertiserIds.Count} advertiser(s).");
    }

    public Task<IReadOnlyList<AuthorizationView>> ListAuthorizationsAsync()
        => Task.FromResult<IReadOnlyList<AuthorizationView>>([.. Current.Authorizations.Values.OrderBy(a => a.AuthorizedAt).Select(a => a.ToView())]);

    public async Task<bool> DeleteAuthorizationAsync(string authorizationId)
    {
        if (!Current.Authorizations.TryGetValue(authorizationId, out var removed))
        {
            return false;
        }
        var remaining = Current.Authorizations.Values.Where(a => a.Id != authorizationId).ToDictionary(a => a.Id);
        var stillGranted = remaining.Values.SelectMany(a => a.AdvertiserIds).ToHashSet(StringComparer.Ordinal);
        var orphaned = removed.AdvertiserIds.Where(a => !stillGranted.Contains(a)).ToList();
        state.State = Current with
        {
            Authorizations = remaining,
            AdAccounts = Current.AdAccounts.Values.Where(a => stillGranted.Contains(a.AdvertiserId)).ToDictionary(a => a.AdvertiserId),
            DeletedAdvertisers = [.. Current.DeletedAdvertisers.Union(orphaned)],
        };
        await state.WriteStateAsync();
        foreach (var advertiserId in orphaned)
        {
            await GrainFactory.LeadRouter(advertiserId).UnregisterAsync(GrainKey);
        }
        if (remaining.Count == 0)
        {
            await this.UnregisterReminderAsync(AdAccountReminder);
        }
        GrainsLog.AuthorizationDeleted(logger, GrainKey, authorizationId);
        return true;
    }

    public Task<IReadOnlyList<AdAccountView>> ListAdAccountsAsync()
        => Task.FromResult<IReadOnlyList<AdAccountView>>([.. Current.AdAccounts.Values.OrderBy(a => a.AdvertiserId, StringComparer.Ordinal)]);

    public async Task<AdAccountSyncResult> SyncAdAccountsAsync()
    {
        var app = tiktokOptions.Value;
        if (!app.HasApp)
        {
            return new AdAccountSyncResult(false, await ListAdAccountsAsync(), await ListAuthorizationsAsync(), TikTokOptions.NoAppMessage);
        }
        var results = new List<AccountSync>();
        foreach (var authorization in Current.Authorizations.Values.OrderBy(a => a.AuthorizedAt))
        {
            var token = protector.Unprotect(authorization.ProtectedToken, GrainKey);
            var granted = await TikTokCalls.WithinAsync(TokenCheckBudget, ct => tiktok.GetAuthorizedAdvertisersAsync(app.AppId, app.AppSecret, token, ct));
            if (granted.Outcome == TikTokOutcome.Authorization)
            {
                results.Add(new AccountSync(Rejected(authorization, granted.Code, granted.Message), [], false));
                continue;
            }
            // If TikTok cannot say now which advertisers the token grants, the last known ones are described.
            IReadOnlyList<string> advertiserIds = granted.IsSuccess
                ? [.. (granted.Data?.List ?? []).Select(a => a.AdvertiserId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
                : authorization.AdvertiserIds;
            results.Add(await DescribeAccountsAsync(authorization with { AdvertiserIds = advertiserIds }, token, advertiserIds));
        }
        await SaveSyncAsync(results);
        var complete = results.All(r => r.Complete);
        return new AdAccountSyncResult(complete, await ListAdAccountsAsync(), await ListAuthorizationsAsync(),
            complete ? "Ad accounts are in sync with TikTok." : "Some authorizations could not be synced; see each one's status and last_error.");
    }

    public Task<AdvertiserAccess> GetAdvertiserAccessAsync(string advertiserId)
    {
        var authorization = Current.Authorizations.Values
            .Where(a => a.AdvertiserIds.Contains(advertiserId))
            .OrderBy(a => a.Status == AuthorizationStatus.Active ? 0 : 1)
            .ThenByDescending(a => a.AuthorizedAt)
            .FirstOrDefault();
        if (authorization is not null)
        {
            var access = authorization.Status == AuthorizationStatus.Active ? AdvertiserAccessState.Granted : AdvertiserAccessState.ReauthorisationRequired;
            return Task.FromResult(new AdvertiserAccess(access, authorization.Id, authorization.ProtectedToken));
        }
        // A pixel connection's token (Events Manager or OAuth) may serve the advertiser too.
        var connection = Current.Connections.Values.Where(c => c.AdvertiserId == advertiserId).OrderBy(c => c.Status == ConnectionStatus.Connected ? 0 : 1).FirstOrDefault();
        if (connection is not null)
        {
            var access = connection.Status == ConnectionStatus.Connected ? AdvertiserAccessState.Granted : AdvertiserAccessState.ReauthorisationRequired;
            return Task.FromResult(new AdvertiserAccess(access, null, connection.ProtectedToken));
        }
        return Task.FromResult(new AdvertiserAccess(
            Current.DeletedAdvertisers.Contains(advertiserId) ? AdvertiserAccessState.IntegrationDeleted : AdvertiserAccessState.Unknown, null, null));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == AdAccountReminder && Current.Authorizations.Count > 0)
        {
            await SyncAdAccountsAsync();
        }
    }

    private sealed record AccountSync(AuthorizationRecord Authorization, IReadOnlyList<AdAccountView> Accounts, bool Complete);

    /// <summary>advertiser/info for the advertisers of one authorization, a hundred at a time.</summary>
    private async Task<AccountSync> DescribeAccountsAsync(AuthorizationRecord authorization, string token, IReadOnlyList<string> advertiserIds)
    {
        var now = time.GetUtcNow();
        var accounts = new List<AdAccountView>();
        foreach (var chunk in advertiserIds.Chunk(AdvertiserInfoBatch))
        {
            var info = await TikTokCalls.WithinAsync(TokenCheckBudget, ct => tiktok.GetAdvertiserInfoAsync(token, chunk, ct));
            if (info.Outcome == TikTokOutcome.Authorization)
            {
                return new AccountSync(Rejected(authorization, info.Code, info.Message), accounts, false);
            }
            if (!info.IsSuccess)
            {
                return new AccountSync(authorization with { LastError = $"TikTok {info.Code}: {info.Message}" }, accounts, false);
            }
            accounts.AddRange((info.Data?.List ?? []).Where(a => a.AdvertiserId is not null).Select(a => new AdAccountView(
                a.AdvertiserId!, a.Name, a.Company, a.Status, a.Role, a.Currency, a.Timezone, a.Country, authorization.Id, now)));
        }
        var healed = authorization with { Status = AuthorizationStatus.Active, LastSyncedAt = now, LastError = null };
        return new AccountSync(healed, accounts, true);
    }

    /// <summary>Stores the authorizations as synced and rebuilds the account list; unsynced accounts keep their last known details.</summary>
    private async Task SaveSyncAsync(IReadOnlyList<AccountSync> results)
    {
        var authorizations = new Dictionary<string, AuthorizationRecord>(Current.Authorizations);
        foreach (var result in results)
        {
            authorizations[result.Authorization.Id] = result.Authorization;
        }
        var fresh = results.SelectMany(r => r.Accounts).GroupBy(a => a.AdvertiserId).ToDictionary(g => g.Key, g => g.Last());
        var granted = authorizations.Values.SelectMany(a => a.AdvertiserIds.Select(id => (id, a))).ToList();
        var accounts = new Dictionary<string, AdAccountView>();
        foreach (var (advertiserId, authorization) in granted.OrderBy(g => g.a.AuthorizedAt))
        {
            accounts[advertiserId] = fresh.GetValueOrDefault(advertiserId)
                ?? Current.AdAccounts.GetValueOrDefault(advertiserId)
                ?? new AdAccountView(advertiserId, null, null, null, null, null, null, null, authorization.Id, time.GetUtcNow());
        }
        state.State = Current with { Authorizations = authorizations, AdAccounts = accounts };
        await state.WriteStateAsync();
    }

    private AuthorizationRecord Rejected(AuthorizationRecord authorization, int code, string message)
    {
        GrainsLog.AuthorizationRejected(logger, GrainKey, authorization.Id, code);
        return authorization with { Status = AuthorizationStatus.ReauthorisationRequired, LastError = $"TikTok {code}: {message}" };
    }

    private static AuthorizationResult Refusal(AuthorizationOutcome outcome, int code, string message) => new(outcome, null, [], code, message);

    private static string HashOf(string nonce) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nonce)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
