using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Organizers;

/// <summary>
/// The organizer grain's calls to TikTok. Each runs within <see cref="TokenCheck.Budget"/> and the caller's
/// cancellation, and decrypts the token it needs only for the call; what the answers mean is decided by
/// <see cref="TokenCheck"/>, <see cref="AuthorizationGrants"/> and <see cref="AdAccountSync"/>.
/// </summary>
public sealed class OrganizerTikTok(TikTokBusinessClient tiktok, TokenProtector protector, IOptions<TikTokOptions> options, TimeProvider time, ILogger<OrganizerTikTok> logger)
{
    /// <summary>OAuth needs the developer app (TikTok:AppId and TikTok:AppSecret).</summary>
    public bool HasApp => options.Value.HasApp;

    /// <summary>Asks TikTok whether the token may operate the advertiser and its pixel; null when it may.</summary>
    public async Task<ConnectResult?> CheckTokenAsync(string organizerId, string protectedToken, string advertiserId, string pixelId, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TokenCheck.Budget);
        try
        {
            var token = protector.Unprotect(protectedToken, organizerId);
            return TokenCheck.OfAdvertiser(await tiktok.GetAdvertiserInfoAsync(token, [advertiserId], budget.Token), advertiserId)
                ?? TokenCheck.OfPixel(await tiktok.ListPixelsAsync(token, advertiserId, pixelId, budget.Token), advertiserId, pixelId);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TokenCheck.TimedOut;
        }
    }

    /// <summary>Exchanges the auth_code for a token, stored encrypted in the new grant; or the refusal.</summary>
    public async Task<(AuthorizationRecord? Record, AuthorizationResult? Refusal)> ExchangeAsync(string organizerId, string authCode, CancellationToken cancellationToken)
    {
        var app = options.Value;
        var exchange = await TikTokCalls.WithinAsync(TokenCheck.Budget, ct => tiktok.ExchangeAuthCodeAsync(app.AppId!, app.AppSecret!, authCode, ct), cancellationToken);
        if (AuthorizationGrants.RefusalOf(exchange) is { } refusal)
        {
            return (null, refusal);
        }
        return (AuthorizationGrants.NewRecord(exchange.Data!, protector.Protect(exchange.Data!.AccessToken!, organizerId), time.GetUtcNow()), null);
    }

    /// <summary>advertiser/info for the grant's advertisers.</summary>
    public async Task<AccountSync> DescribeAsync(string organizerId, AuthorizationRecord authorization, CancellationToken cancellationToken)
    {
        var token = protector.Unprotect(authorization.ProtectedToken, organizerId);
        var synced = await AdAccountSync.DescribeAsync(
            authorization, (ids, ct) => TikTokCalls.WithinAsync(TokenCheck.Budget, budget => tiktok.GetAdvertiserInfoAsync(token, ids, budget), ct), time.GetUtcNow(), cancellationToken);
        return Logged(organizerId, synced);
    }

    /// <summary>Asks TikTok again which advertisers each grant covers, then describes them.</summary>
    public async Task<IReadOnlyList<AccountSync>> SyncAsync(string organizerId, IEnumerable<AuthorizationRecord> authorizations, CancellationToken cancellationToken)
    {
        var app = options.Value;
        var results = new List<AccountSync>();
        foreach (var authorization in authorizations.OrderBy(a => a.AuthorizedAt))
        {
            var token = protector.Unprotect(authorization.ProtectedToken, organizerId);
            var granted = await TikTokCalls.WithinAsync(TokenCheck.Budget, ct => tiktok.GetAuthorizedAdvertisersAsync(app.AppId!, app.AppSecret!, token, ct), cancellationToken);
            results.Add(granted.Outcome == TikTokOutcome.Authorization
                ? Logged(organizerId, AdAccountSync.Rejected(authorization, granted.Code, granted.Message))
                : await DescribeAsync(organizerId, AdAccountSync.Regranted(authorization, granted), cancellationToken));
        }
        return results;
    }

    private AccountSync Logged(string organizerId, AccountSync synced)
    {
        if (synced.RejectedCode is { } code)
        {
            GrainsLog.AuthorizationRejected(logger, organizerId, synced.Authorization.Id, code);
        }
        return synced;
    }
}
