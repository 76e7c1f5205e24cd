using System.Security.Cryptography;
using System.Text;
using TikTokAds.Contracts.Organizers;

namespace TikTokAds.Grains.Organizers;

/// <summary>
/// The organizer's pending OAuth consents. Only the SHA-256 of each state's nonce is kept, so stored state
/// cannot be replayed; a consent works once and only until it expires.
/// </summary>
public sealed class ConsentBook(IReadOnlyList<PendingConsent> consents)
{
    /// <summary>Consents kept per organizer at most; the oldest go first.</summary>
    public const int MaxPending = 50;

    /// <summary>A new consent, with the expired ones dropped; the nonce goes to TikTok and is never stored.</summary>
    public OpenedConsent Open(DateTimeOffset now, TimeSpan lifetime)
    {
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(32));
        var consent = new PendingConsent(HashOf(nonce), now + lifetime, null);
        var kept = consents.Where(c => c.ExpiresAt > now).TakeLast(MaxPending - 1);
        return new OpenedConsent([.. kept, consent], nonce, consent.ExpiresAt);
    }

    /// <summary>Burns the consent the nonce belongs to, or says why the callback cannot go on.</summary>
    public RedeemedConsent Redeem(string nonce, DateTimeOffset now)
    {
        var hash = HashOf(nonce);
        var consent = consents.FirstOrDefault(c => c.NonceHash == hash);
        var refusal = consent switch
        {
            null => Refusal(AuthorizationOutcome.StateUnknown, "The state is unknown: start the connection again with GET /oauth/start."),
            { UsedAt: not null } => Refusal(AuthorizationOutcome.StateUsed, "This consent was already completed; a state works once. Start again with GET /oauth/start."),
            _ when consent.ExpiresAt <= now => Refusal(AuthorizationOutcome.StateExpired, "The consent took too long and its state expired. Start again with GET /oauth/start."),
            _ => null,
        };
        return refusal is not null
            ? new RedeemedConsent(consents, refusal)
            : new RedeemedConsent([.. consents.Select(c => c.NonceHash == hash ? c with { UsedAt = now } : c)], null);
    }

    public static string HashOf(string nonce) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nonce)));

    private static AuthorizationResult Refusal(AuthorizationOutcome outcome, string message) => new(outcome, null, [], 0, message);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record OpenedConsent(IReadOnlyList<PendingConsent> Consents, string Nonce, DateTimeOffset ExpiresAt);

/// <summary>The consents after a callback: with its consent burnt, or unchanged with the refusal to answer.</summary>
public sealed record RedeemedConsent(IReadOnlyList<PendingConsent> Consents, AuthorizationResult? Refusal);
