using TikTokAds.Contracts.Events;

namespace TikTokAds.Grains.Segments;

/// <summary>What a segment needs from one accepted event: hashes of the buyer, never raw data.</summary>
public sealed record BuyerFact(
    string OrganizerId,
    string PixelId,
    string EventName,
    string EventId,
    DateTimeOffset EventTime,
    string? EmailSha256,
    string? PhoneSha256,
    decimal? Value,
    string? Currency,
    IReadOnlyList<string> ContentIds,
    DateTimeOffset AcceptedAt)
{
    /// <summary>
    /// The fact of an event, or null when it must not count: kept back (no consent, untracked kind) or without
    /// a hashed email or phone to recognise the buyer by.
    /// </summary>
    /// <remarks><paramref name="pixel"/> is the pixel key split once per request: the embedded store keeps facts, so a
    /// request's facts share its two id strings.</remarks>
    public static BuyerFact? Of((string OrganizerId, string PixelId) pixel, PixelEvent e, DateTimeOffset acceptedAt)
    {
        if (e.SkipReason is not null || e.Payload.User is not { } user || (user.EmailSha256 is null && user.PhoneSha256 is null))
        {
            return null;
        }
        var properties = e.Payload.Properties;
        return new BuyerFact(
            pixel.OrganizerId, pixel.PixelId, e.EventName, e.EventId, DateTimeOffset.FromUnixTimeSeconds(e.Payload.EventTime), user.EmailSha256, user.PhoneSha256,
            properties?.Value, properties?.Currency?.ToUpperInvariant(),
            (properties?.Contents ?? []).Select(c => c.ContentId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray(), acceptedAt);
    }
}
