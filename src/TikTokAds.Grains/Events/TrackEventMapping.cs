using TikTokAds.Contracts.Events;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>From the gateway's event to the body of TikTok's /event/track/: the one place that knows both.</summary>
public static class TrackEventMapping
{
    public static TrackEvent ToTrackEvent(this EventPayload payload) => new()
    {
        Event = payload.Event,
        EventTime = payload.EventTime,
        EventId = payload.EventId,
        User = payload.User is { } u ? new TrackUser
        {
            Email = u.EmailSha256, Phone = u.PhoneSha256, ExternalId = u.ExternalIdSha256,
            Ttclid = u.Ttclid, Ttp = u.Ttp, Ip = u.Ip, UserAgent = u.UserAgent, Locale = u.Locale,
        } : null,
        Properties = payload.Properties is { } p ? new TrackProperties
        {
            Contents = p.Contents is { Count: > 0 } contents ? [.. contents.Select(c => new TrackContent
            {
                ContentId = c.ContentId, ContentName = c.ContentName, ContentCategory = c.ContentCategory,
                Price = c.Price, Quantity = c.Quantity, Brand = c.Brand,
            })] : null,
            ContentType = p.ContentType,
            Currency = p.Currency,
            Value = p.Value,
            OrderId = p.OrderId,
            // The 2.0 docs name search_string; peers send query. Both are sent.
            Query = p.Query,
            SearchString = p.Query,
            Description = p.Description,
            NumItems = p.NumItems,
        } : null,
        Page = payload.Page is { } page ? new TrackPage(page.Url, page.Referrer) : null,
        Lead = payload.Lead is { } lead ? new TrackLead(lead.LeadId, lead.LeadEventSource) : null,
        LimitedDataUse = payload.LimitedDataUse,
    };
}
