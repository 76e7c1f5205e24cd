using System.Security.Cryptography;
using TikTokAds.Contracts.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Organizers;

/// <summary>The organizer's OAuth grants: what an auth_code exchange yields, and how grants replace and leave each other.</summary>
public static class AuthorizationGrants
{
    /// <summary>Why no consent of this organizer can complete on this node; null when one may.</summary>
    public static AuthorizationResult? Unavailable(OrganizerState state, bool hasApp)
        => !state.Exists ? Refusal(AuthorizationOutcome.OrganizerNotFound, 0, "Unknown organizer.")
            : !hasApp ? Refusal(AuthorizationOutcome.NotConfigured, 0, TikTokOptions.NoAppMessage)
            : null;

    /// <summary>Why TikTok's answer to the exchange gives no grant; null when it holds a token.</summary>
    public static AuthorizationResult? RefusalOf(TikTokResponse<AccessTokenResult> exchange)
        => exchange.IsSuccess && !string.IsNullOrEmpty(exchange.Data?.AccessToken) ? null : exchange.Outcome switch
        {
            TikTokOutcome.Authorization or TikTokOutcome.InvalidRequest => Refusal(AuthorizationOutcome.CodeRejected, exchange.Code, $"TikTok refused the auth_code: {exchange.Message} An auth_code works once and for one hour; start again."),
            TikTokOutcome.Success => Refusal(AuthorizationOutcome.TikTokRefused, exchange.Code, "TikTok returned no access token."),
            _ => Refusal(AuthorizationOutcome.TikTokUnavailable, exchange.Code, $"TikTok is not answering ({exchange.Code}): {exchange.Message}"),
        };

    /// <summary>A new grant of the advertisers TikTok named, holding the token already encrypted.</summary>
    public static AuthorizationRecord NewRecord(AccessTokenResult granted, string protectedToken, DateTimeOffset now)
        => new("auth_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), protectedToken,
            [.. (granted.AdvertiserIds ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            granted.Scope ?? [], AuthorizationStatus.Active, now, null, null);

    /// <summary>
    /// Adds the grant. A new consent for the same advertisers replaces the old grant (that is how a token is
    /// refreshed), and its advertisers are no longer "deleted".
    /// </summary>
    public static OrganizerState Grant(OrganizerState state, AuthorizationRecord record)
    {
        var authorizations = state.Authorizations.Values.Where(a => !a.AdvertiserIds.All(record.AdvertiserIds.Contains)).ToDictionary(a => a.Id);
        authorizations[record.Id] = record;
        return state with { Authorizations = authorizations, DeletedAdvertisers = [.. state.DeletedAdvertisers.Except(record.AdvertiserIds)] };
    }

    /// <summary>
    /// Removes a grant and the accounts only it granted; those advertisers are remembered as deleted.
    /// Null when there is no such grant.
    /// </summary>
    public static AuthorizationRemoval? Remove(OrganizerState state, string authorizationId)
    {
        if (!state.Authorizations.TryGetValue(authorizationId, out var removed))
        {
            return null;
        }
        var remaining = state.Authorizations.Values.Where(a => a.Id != authorizationId).ToDictionary(a => a.Id);
        var stillGranted = remaining.Values.SelectMany(a => a.AdvertiserIds).ToHashSet(StringComparer.Ordinal);
        var orphaned = removed.AdvertiserIds.Where(a => !stillGranted.Contains(a)).ToList();
        return new AuthorizationRemoval(state with
        {
            Authorizations = remaining,
            AdAccounts = state.AdAccounts.Values.Where(a => stillGranted.Contains(a.AdvertiserId)).ToDictionary(a => a.AdvertiserId),
            DeletedAdvertisers = [.. state.DeletedAdvertisers.Union(orphaned)],
        }, orphaned);
    }

    /// <summary>The answer to a completed consent: the grant and the accounts it brought, as stored.</summary>
    public static AuthorizationResult Authorized(OrganizerState state, string authorizationId)
    {
        var record = state.Authorizations[authorizationId];
        var accounts = state.AdAccounts.Values.Where(a => a.AuthorizationId == authorizationId).OrderBy(a => a.AdvertiserId, StringComparer.Ordinal).ToList();
        return new AuthorizationResult(AuthorizationOutcome.Authorized, record.ToView(), accounts, 0, $"Authorized for {record.AdvertiserIds.Count} advertiser(s).");
    }

    public static IReadOnlyList<AuthorizationView> Views(OrganizerState state)
        => [.. state.Authorizations.Values.OrderBy(a => a.AuthorizedAt).Select(a => a.ToView())];

    public static AuthorizationResult Refusal(AuthorizationOutcome outcome, int code, string message) => new(outcome, null, [], code, message);
}

/// <summary>The state without the grant, and the advertisers no other grant covers (their lead routes go).</summary>
public sealed record AuthorizationRemoval(OrganizerState State, IReadOnlyList<string> Orphaned);
