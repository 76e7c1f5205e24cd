using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Events;

namespace TikTokAds.Node.Apis.Events;

/// <summary>An event that passed: where it goes and what TikTok will receive (personal data already hashed).</summary>
internal sealed record ValidatedEvent(ConnectionView Connection, PixelEvent Event);

/// <summary>Why an event was refused, in the seed's codes: 40001 pixel, 40002 event, 40003 user data.</summary>
internal sealed record EventRejection(int Code, string Field, string Message)
{
    public int HttpStatus => Code == 40001 ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
}

/// <summary>
/// Everything the gateway checks before an event reaches a grain. Raw personal data stops here: what
/// leaves is SHA-256 (TIKTOK_API.md §1.4 and §7); ttclid, _ttp, IP and user agent pass unhashed.
/// </summary>
internal static partial class EventValidator
{
    public static readonly FrozenSet<string> StandardEvents = new[]
    {
        "AddPaymentInfo", "AddToCart", "AddToWishlist", "ApplicationApproval", "CompleteRegistration", "Contact",
        "CustomizeProduct", "Download", "FindLocation", "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search",
        "StartTrial", "SubmitApplication", "Subscribe", "ViewContent", "CompletePayment", "SubmitForm",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The event sources the Events API takes here (app events are not part of this product).</summary>
    public static readonly FrozenSet<string> Sources = new[] { "web", "offline", "crm" }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> Currencies = """
        AED ARS AUD BDT BHD BIF BOB BRL CAD CHF CLP CNY COP CRC CZK DKK DZD EGP EUR GBP GTQ HKD HNL HUF IDR ILS INR ISK
        JPY KES KHR KRW KWD KZT MAD MOP MXN MYR NGN NIO NOK NZD OMR PEN PHP PKR PLN PYG QAR RON RUB SAR SEK SGD THB TRY
        TWD UAH USD VES VND ZAR
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    public static (ValidatedEvent? Event, EventRejection? Error) Validate(EventBody? body, IReadOnlyList<ConnectionView> connections, DateTimeOffset now, EventsOptions options)
    {
        if (body is null)
        {
            return Reject(40002, "", "Each event must be a JSON object.");
        }
        var connection = body.PixelId is { } pixelId
            ? Find(connections, pixelId)
            : connections.Count == 1 ? connections[0] : null;
        if (connection is null)
        {
            return body.PixelId is null && connections.Count > 1
                ? Reject(40001, "pixel_id", "pixel_id is required: this organizer has several pixels.")
                : Reject(40001, "pixel_id", body.PixelId is null ? "No pixel is connected; POST /connect first." : $"Pixel {body.PixelId} is not connected.");
        }

        // Sources and standard names are the sets' own strings from here on: an accepted event waits in memory until
        // TikTok has it, and one shared string beats one per request.
        if (!Sources.TryGetValue(body.EventSource ?? "web", out var source))
        {
            return Reject(40002, "event_source", "event_source must be web, offline or crm.");
        }
        var name = body.EventType;
        if (string.IsNullOrWhiteSpace(name))
        {
            return Reject(40002, "event_type", "event_type is required, e.g. CompletePayment, AddToCart, ViewContent.");
        }
        if (StandardEvents.TryGetValue(name, out var standard))
        {
            name = standard;
        }
        else if (!(source == "web" && connection.Toggles.AllowCustomEvents && CustomName().IsMatch(name)))
        {
            return Reject(40002, "event_type", source != "web" || !connection.Toggles.AllowCustomEvents
                ? $"'{name}' is not a standard TikTok event; custom events are {(source == "web" ? "disabled for this connection" : "web-only")}."
                : $"'{name}' is neither a standard TikTok event nor a valid custom name (a letter, then letters, digits or '_', 50 at most).");
        }
        if (source == "crm" && string.IsNullOrWhiteSpace(body.LeadId))
        {
            return Reject(40002, "lead_id", "CRM events need lead_id.");
        }

        if (ParseTime(body.EventTime, now) is not { } eventTime)
        {
            return Reject(40002, "event_time", "event_time must be Unix seconds or an ISO 8601 time.");
        }
        var maxAge = source == "web" ? options.MaxWebEventAge : options.MaxOfflineEventAge;
        if (eventTime > now + options.MaxFutureSkew)
        {
            return Reject(40002, "event_time", $"event_time is more than {options.MaxFutureSkew.TotalMinutes:0} minutes in the future.");
        }
        if (eventTime < now - maxAge)
        {
            return Reject(40002, "event_time", $"event_time is older than {maxAge.TotalDays:0} days, the window for {source} events.");
        }
        if (body.EventId is { } givenId && (givenId.Length is 0 or > 128 || HasControl(givenId)))
        {
            return Reject(40002, "event_id", "event_id must be 1 to 128 printable characters.");
        }
        if (body.OrderId is { Length: > 128 })
        {
            return Reject(40002, "order_id", "order_id is at most 128 characters.");
        }

        var (properties, propertiesError) = Properties(body.Properties, body.OrderId, body.Query ?? body.Properties?.Query);
        if (propertiesError is not null)
        {
            return (null, propertiesError);
        }
        var (user, page, userError) = UserAndPage(body.User, body.Context, connection.DefaultCountryCode);
        if (userError is not null)
        {
            return (null, userError);
        }

        // Seed 000: a stable id for a purchase is purchase_<order>, so retries and the browser pixel deduplicate.
        var eventId = body.EventId ?? (body.OrderId is { Length: > 0 } order ? $"{name.ToLowerInvariant()}_{order}" : $"evt_{Guid.NewGuid():N}");
        var consented = body.Consent?.Granted == true;
        var skip = !consented ? "no consent (consent.granted is not true)" : Untracked(name, connection.Toggles);
        // Minimal collection: what must not reach TikTok keeps no personal data here either.
        var payload = new EventPayload(
            name, eventTime.ToUnixTimeSeconds(), eventId, skip is null ? user : null, properties, skip is null ? page : null,
            source == "crm" ? new EventLeadData(body.LeadId!, body.LeadEventSource) : null, body.Consent?.LimitedDataUse);
        var traceId = System.Diagnostics.Activity.Current?.TraceId.ToString();
        return (new ValidatedEvent(connection, new PixelEvent(name, eventId, source, payload, skip, traceId)), null);
    }

    private static ConnectionView? Find(IReadOnlyList<ConnectionView> connections, string pixelId)
    {
        for (var i = 0; i < connections.Count; i++)
        {
            if (connections[i].PixelId == pixelId)
            {
                return connections[i];
            }
        }
        return null;
    }

    /// <summary>char.IsControl for any character: C0 (U+0000-U+001F), DEL and C1 (U+007F-U+009F).</summary>
    private static bool HasControl(string value) => value.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || value.AsSpan().ContainsAnyInRange('\u007F', '\u009F');

    private static string? Untracked(string name, EventToggles toggles) => name switch
    {
        "CompletePayment" or "Purchase" when !toggles.TrackPurchases => "the connection does not track purchases",
        "AddToCart" when !toggles.TrackAddToCart => "the connection does not track add-to-cart",
        "InitiateCheckout" or "AddPaymentInfo" when !toggles.TrackCheckout => "the connection does not track checkouts",
        "CompleteRegistration" when !toggles.TrackRegistrations => "the connection does not track registrations",
        _ => null,
    };

    private static DateTimeOffset? ParseTime(EventTime? value, DateTimeOffset now) => value is { } time ? time.ToTime() : now;

    private static (EventPropertyData? Properties, EventRejection? Error) Properties(EventProperties? p, string? orderId, string? query)
    {
        if (p is null)
        {
            return (orderId is null && query is null ? null : new EventPropertyData(null, null, null, null, orderId, query, null, null), null);
        }
        var currency = p.Currency?.Trim().ToUpperInvariant();
        if (currency is not null && !Currencies.Contains(currency))
        {
            return (null, new EventRejection(40002, "properties.currency", $"'{p.Currency}' is not a currency TikTok accepts (ISO 4217, e.g. EUR, RON, USD)."));
        }
        if (p.Value is { } value && (value < 0 || value > 1_000_000_000))
        {
            return (null, new EventRejection(40002, "properties.value", "value must be a number from 0 to 1,000,000,000 (the order total)."));
        }
        if (p.Value is not null && currency is null)
        {
            return (null, new EventRejection(40002, "properties.currency", "A value needs its currency."));
        }
        if (p.ContentType is not (null or "product" or "product_group"))
        {
            return (null, new EventRejection(40002, "properties.content_type", "content_type must be product or product_group."));
        }
        if (p.NumItems is < 0)
        {
            return (null, new EventRejection(40002, "properties.num_items", "num_items cannot be negative."));
        }
        var given = p.Contents ?? [];
        var contents = given.Count == 0 ? null : new EventContentData[given.Count];
        for (var i = 0; i < given.Count; i++)
        {
            var content = given[i];
            if (content is null || string.IsNullOrWhiteSpace(content.ContentId) || content.ContentId.Length > 256)
            {
                return (null, new EventRejection(40002, $"properties.contents[{i}].content_id", "Each content needs a content_id: a string of 1 to 256 characters."));
            }
            if (content.Price is < 0 || content.Quantity is < 0)
            {
                return (null, new EventRejection(40002, $"properties.contents[{i}]", "price and quantity cannot be negative."));
            }
            contents![i] = new EventContentData(content.ContentId, content.ContentName, content.ContentCategory, content.Price, content.Quantity, content.Brand);
        }
        return (new EventPropertyData(contents, p.ContentType, currency, p.Value, orderId, query, p.Description, p.NumItems), null);
    }

    private static (EventUserData? User, EventPageData? Page, EventRejection? Error) UserAndPage(EventUser? user, EventContext? context, string? callingCode)
    {
        var email = PiiNormalizer.Email(user?.Email);
        if (email is null && !string.IsNullOrWhiteSpace(user?.Email))
        {
            return (null, null, new EventRejection(40003, "user.email", "user.email is not an email address (or a SHA-256 of one)."));
        }
        var phone = PiiNormalizer.Phone(user?.Phone, callingCode);
        if (phone is null && !string.IsNullOrWhiteSpace(user?.Phone))
        {
            return (null, null, new EventRejection(40003, "user.phone", callingCode is null
                ? "user.phone must be international (+40 721 234 567 or 0040…), or the connection needs default_country_code for national numbers."
                : "user.phone is not a phone number of 7 to 15 digits."));
        }
        if (user?.ExternalId is { Length: > 256 })
        {
            return (null, null, new EventRejection(40003, "user.external_id", "user.external_id is at most 256 characters."));
        }
        Uri? pageUrl = null;
        if (context?.PageUrl is { } url && (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out pageUrl) || pageUrl.Scheme is not ("http" or "https")))
        {
            return (null, null, new EventRejection(40002, "context.page_url", "context.page_url must be an absolute http(s) URL of at most 2,048 characters."));
        }
        if (context?.Ip is { } ip && !IPAddress.TryParse(ip, out _))
        {
            return (null, null, new EventRejection(40002, "context.ip", "context.ip must be an IPv4 or IPv6 address."));
        }
        if (context is not null && (context.UserAgent?.Length > 1024 || context.Ttclid?.Length > 512 || context.Ttp?.Length > 512 || context.Locale?.Length > 35 || context.Referrer?.Length > 2048))
        {
            return (null, null, new EventRejection(40002, "context", "A context field is too long (user_agent 1,024, ttclid and ttp 512, locale 35, referrer 2,048)."));
        }
        // ttclid arrives in the landing URL when the platform did not store it in its cookie.
        var ttclid = context?.Ttclid ?? (pageUrl is null ? null : TtclidOf(pageUrl));
        var trackUser = new EventUserData(
            email, phone, PiiNormalizer.ExternalId(user?.ExternalId), string.IsNullOrEmpty(ttclid) ? null : ttclid,
            context?.Ttp, context?.Ip, context?.UserAgent, context?.Locale);
        var page = pageUrl is null && context?.Referrer is null ? null : new EventPageData(context?.PageUrl, context?.Referrer);
        return (trackUser, page, null);
    }

    /// <summary>
    /// The URL's ttclid parameter as QueryHelpers.ParseQuery reads it (name matched after decoding and ignoring case,
    /// repeated values joined with ','), without building a dictionary of every parameter.
    /// </summary>
    internal static string? TtclidOf(Uri pageUrl)
    {
        string? found = null;
        foreach (var pair in new QueryStringEnumerable(pageUrl.Query))
        {
            if (pair.DecodeName().Span.Equals("ttclid", StringComparison.OrdinalIgnoreCase))
            {
                // StringValues joins the non-empty values only.
                var value = pair.DecodeValue().ToString();
                found = string.IsNullOrEmpty(found) ? value : value.Length == 0 ? found : found + "," + value;
            }
        }
        return found;
    }

    private static (ValidatedEvent?, EventRejection?) Reject(int code, string field, string message) => (null, new EventRejection(code, field, message));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,49}$")]
    private static partial Regex CustomName();
}
