using System.Runtime.InteropServices;
using System.Text.Json;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>POST event/track/ (Events API 2.0), validated the way TIKTOK_API.md describes.</summary>
internal static class EventsApi
{
    /// <summary>The user fields TikTok takes only as SHA-256 (TIKTOK_API.md §1.4), by UTF-8 name for the lookup and by name for the message.</summary>
    private static readonly (byte[] Utf8, string Name)[] HashedUserFields =
        [("email"u8.ToArray(), "email"), ("phone"u8.ToArray(), "phone"), ("external_id"u8.ToArray(), "external_id")];

    public static async Task<IResult> TrackAsync(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (grant, authError, authCode) = Authenticate(request, state, requestId);
        if (authError is not null)
        {
            return Rejected(state, requestId, null, 0, null, authError, authCode);
        }
        var (document, parseError) = await ReadDocumentAsync(request, requestId);
        if (parseError is not null)
        {
            return Rejected(state, requestId, null, 0, null, parseError, 40000);
        }
        using (document)
        {
            return Track(document!.RootElement, grant!, state, requestId);
        }
    }

    private static IResult Track(JsonElement body, TokenGrant grant, SandboxState state, string requestId)
    {
        var source = body.Field("event_source"u8).AsString();
        var pixel = body.Field("event_source_id"u8).AsString();
        var testCode = body.Field("test_event_code"u8).AsString();
        var data = body.Field("data"u8);
        var count = data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : 0;
        IResult Reject(int code, string message) => Rejected(state, requestId, pixel, count, testCode, Envelope.Error(code, message, requestId), code);

        if (source is null || !TikTokFacts.EventSources.Contains(source))
        {
            return Reject(40000, "event_source must be one of web, app, offline, crm.");
        }
        if (string.IsNullOrEmpty(pixel))
        {
            return Reject(40000, "event_source_id is required: the pixel code, event set id or app id.");
        }
        if (!grant.PixelCodes.Contains(pixel))
        {
            return Reject(40001, $"No permission to operate event source {pixel} with this access token.");
        }
        if (!state.RateLimiter.TryAcquire(pixel, state.Options.RequestsPerSecondPerPixel))
        {
            return Reject(40100, "Too many requests. Please retry in some time.");
        }
        if (count == 0)
        {
            return Reject(40002, "data must be an array of 1 to 1000 events.");
        }
        if (count > state.Options.MaxEventsPerRequest)
        {
            return Reject(40002, $"data holds {count} events; at most {state.Options.MaxEventsPerRequest} are accepted per request.");
        }

        var now = state.Now;
        var received = new List<ReceivedEvent>(count);
        var i = 0;
        // Enumerated, not indexed: indexing an array of objects walks it from the start each time.
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return Reject(40002, $"data[{i}] must be an object.");
            }
            var (code, message, name, seconds) = Validate(item, i, source, now, state.Options);
            if (code != 0)
            {
                return Reject(code, message);
            }
            var eventId = item.Field("event_id"u8).AsString();
            if (state.Refusals.Reason(eventId) is { } refusal)
            {
                return Reject(40002, $"data[{i}]: {refusal}");
            }
            received.Add(new ReceivedEvent(
                pixel, name!, eventId, source, testCode, requestId, now, false,
                JsonMarshal.GetRawUtf8Value(item).ToArray(),
                DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime),
                item.Field("user"u8) is { ValueKind: JsonValueKind.Object } user && user.Field("ttclid"u8).IsScalar()));
            i++;
        }
        state.Events.Accept(received, state.Options.DedupWindow);
        state.Events.RecordRequest(new TrackRequestRecord(requestId, pixel, count, 0, "OK", now, testCode));
        return Envelope.Ok(requestId: requestId);
    }

    /// <summary>Code 0 with the event's name (the standard name's shared string) and event_time, or TikTok's refusal.</summary>
    private static (int Code, string Message, string? Event, long Seconds) Validate(JsonElement item, int i, string source, DateTimeOffset now, SandboxOptions options)
    {
        var name = item.Field("event"u8).AsString();
        string? shared = null;
        var standard = name is not null && TikTokFacts.StandardEvents.TryGetValue(name, out shared);
        if (name is null || (!standard && (source is "offline" || !TikTokFacts.IsCustomEventName(name))))
        {
            return (40002, $"data[{i}].event '{name}' is not a valid event name for event_source {source}.", null, 0);
        }
        if (!item.Field("event_time"u8).TryLong(out var seconds))
        {
            return (40002, $"data[{i}].event_time is required and must be an integer of Unix seconds.", null, 0);
        }
        if (seconds > 99_999_999_999)
        {
            return (40002, $"data[{i}].event_time looks like milliseconds; send Unix seconds.", null, 0);
        }
        var eventTime = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var maxAge = source is "offline" or "crm" ? options.MaxOfflineEventAge : options.MaxWebEventAge;
        if (eventTime > now.AddMinutes(5) || eventTime < now - maxAge)
        {
            return (40002, $"data[{i}].event_time {seconds} is outside the accepted range (not in the future, at most {maxAge.TotalDays:0} days old).", null, 0);
        }
        if (source == "crm" && string.IsNullOrEmpty(item.Field("lead"u8) is { ValueKind: JsonValueKind.Object } lead ? lead.Field("lead_id"u8).AsString() : null))
        {
            return (40002, $"data[{i}].lead.lead_id is required for event_source crm.", null, 0);
        }
        var user = item.Field("user"u8);
        if (user.ValueKind == JsonValueKind.Object)
        {
            foreach (var (utf8, field) in HashedUserFields)
            {
                var value = user.Field(utf8);
                if (value.IsPresent() && !value.IsHashed())
                {
                    return (40003, $"data[{i}].user.{field} must be SHA-256 hashed: 64 lowercase hex characters.", null, 0);
                }
            }
        }
        else if (user.IsPresent())
        {
            return (40003, $"data[{i}].user must be an object.", null, 0);
        }
        var (code, message) = ValidateProperties(item.Field("properties"u8), i);
        return (code, message, standard ? shared : name, seconds);
    }

    private static (int Code, string Message) ValidateProperties(JsonElement properties, int i)
    {
        if (!properties.IsPresent())
        {
            return (0, "");
        }
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return (40002, $"data[{i}].properties must be an object.");
        }
        var currency = properties.Field("currency"u8);
        if (currency.IsPresent() && (currency.AsString() is not { } code || !TikTokFacts.Currencies.Contains(code)))
        {
            return (40002, $"data[{i}].properties.currency must be a supported ISO 4217 code.");
        }
        var value = properties.Field("value"u8);
        if (value.IsPresent() && (!value.TryDecimal(out var amount) || amount < 0))
        {
            return (40002, $"data[{i}].properties.value must be a non-negative number.");
        }
        var (objects, stringIds) = Contents(properties.Field("contents"u8));
        if (!objects)
        {
            return (40002, $"data[{i}].properties.contents must be an array of objects.");
        }
        if (!stringIds)
        {
            return (40002, $"data[{i}].properties.contents[].content_id must be a string.");
        }
        return (0, "");
    }

    /// <summary>Whether properties.contents, when present, is an array of objects, and whether each content_id given is a string.</summary>
    private static (bool Objects, bool StringIds) Contents(JsonElement contents)
    {
        if (!contents.IsPresent())
        {
            return (true, true);
        }
        if (contents.ValueKind != JsonValueKind.Array)
        {
            return (false, false);
        }
        var stringIds = true;
        foreach (var content in contents.EnumerateArray())
        {
            if (content.ValueKind != JsonValueKind.Object)
            {
                return (false, false);
            }
            stringIds &= content.Field("content_id"u8).ValueKind is JsonValueKind.Undefined or JsonValueKind.String;
        }
        return (true, stringIds);
    }

    private static IResult Rejected(SandboxState state, string requestId, string? pixel, int events, string? testCode, IResult result, int code)
    {
        state.Events.RecordRequest(new TrackRequestRecord(requestId, pixel, events, code, "rejected", state.Now, testCode));
        return result;
    }
}
