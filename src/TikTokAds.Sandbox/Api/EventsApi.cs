using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using static TikTokAds.Sandbox.Api.SandboxRequest;

namespace TikTokAds.Sandbox.Api;

/// <summary>POST event/track/ (Events API 2.0), validated the way TIKTOK_API.md describes.</summary>
internal static class EventsApi
{
    public static async Task<IResult> TrackAsync(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (grant, authError, authCode) = Authenticate(request, state, requestId);
        if (authError is not null)
        {
            return Rejected(state, requestId, null, 0, null, authError, authCode);
        }
        var (body, parseError) = await ReadObjectAsync(request, requestId);
        if (parseError is not null)
        {
            return Rejected(state, requestId, null, 0, null, parseError, 40000);
        }

        var source = String(body!["event_source"]);
        var pixel = String(body["event_source_id"]);
        var testCode = String(body["test_event_code"]);
        var data = body["data"] as JsonArray;
        var count = data?.Count ?? 0;
        IResult Reject(int code, string message) => Rejected(state, requestId, pixel, count, testCode, Envelope.Error(code, message, requestId), code);

        if (source is null || !TikTokFacts.EventSources.Contains(source))
        {
            return Reject(40000, "event_source must be one of web, app, offline, crm.");
        }
        if (string.IsNullOrEmpty(pixel))
        {
            return Reject(40000, "event_source_id is required: the pixel code, event set id or app id.");
        }
        if (!grant!.PixelCodes.Contains(pixel))
        {
            return Reject(40001, $"No permission to operate event source {pixel} with this access token.");
        }
        if (!state.RateLimiter.TryAcquire(pixel, state.Options.RequestsPerSecondPerPixel))
        {
            return Reject(40100, "Too many requests. Please retry in some time.");
        }
        if (data is null || count == 0)
        {
            return Reject(40002, "data must be an array of 1 to 1000 events.");
        }
        if (count > state.Options.MaxEventsPerRequest)
        {
            return Reject(40002, $"data holds {count} events; at most {state.Options.MaxEventsPerRequest} are accepted per request.");
        }

        var now = state.Now;
        var received = new List<ReceivedEvent>(count);
        for (var i = 0; i < count; i++)
        {
            if (data[i] is not JsonObject item)
            {
                return Reject(40002, $"data[{i}] must be an object.");
            }
            var (code, message) = Validate(item, i, source, now, state.Options);
            if (code != 0)
            {
                return Reject(code, message);
            }
            if (state.Refusals.Reason(String(item["event_id"])) is { } refusal)
            {
                return Reject(40002, $"data[{i}]: {refusal}");
            }
            received.Add(new ReceivedEvent(pixel, String(item["event"])!, String(item["event_id"]), source, testCode, requestId, now, false, (JsonObject)item.DeepClone()));
        }
        state.Events.Accept(received, state.Options.DedupWindow);
        state.Events.RecordRequest(new TrackRequestRecord(requestId, pixel, count, 0, "OK", now, testCode));
        return Envelope.Ok(requestId: requestId);
    }

    private static (int Code, string Message) Validate(JsonObject item, int i, string source, DateTimeOffset now, SandboxOptions options)
    {
        var name = String(item["event"]);
        var custom = name is not null && !TikTokFacts.StandardEvents.Contains(name);
        if (name is null || (custom && (source is "offline" || !TikTokFacts.IsCustomEventName(name))))
        {
            return (40002, $"data[{i}].event '{name}' is not a valid event name for event_source {source}.");
        }
        if (!TryLong(item["event_time"], out var seconds))
        {
            return (40002, $"data[{i}].event_time is required and must be an integer of Unix seconds.");
        }
        if (seconds > 99_999_999_999)
        {
            return (40002, $"data[{i}].event_time looks like milliseconds; send Unix seconds.");
        }
        var eventTime = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var maxAge = source is "offline" or "crm" ? options.MaxOfflineEventAge : options.MaxWebEventAge;
        if (eventTime > now.AddMinutes(5) || eventTime < now - maxAge)
        {
            return (40002, $"data[{i}].event_time {seconds} is outside the accepted range (not in the future, at most {maxAge.TotalDays:0} days old).");
        }
        if (source == "crm" && string.IsNullOrEmpty(String((item["lead"] as JsonObject)?["lead_id"])))
        {
            return (40002, $"data[{i}].lead.lead_id is required for event_source crm.");
        }
        if (item["user"] is JsonObject user)
        {
            foreach (var field in (string[])["email", "phone", "external_id"])
            {
                if (Strings(user[field]) is { } values && values.Any(v => !TikTokFacts.IsSha256Hex(v)))
                {
                    return (40003, $"data[{i}].user.{field} must be SHA-256 hashed: 64 lowercase hex characters.");
                }
            }
        }
        else if (item["user"] is not null)
        {
            return (40003, $"data[{i}].user must be an object.");
        }
        return ValidateProperties(item["properties"], i);
    }

    private static (int Code, string Message) ValidateProperties(JsonNode? node, int i)
    {
        if (node is null)
        {
            return (0, "");
        }
        if (node is not JsonObject properties)
        {
            return (40002, $"data[{i}].properties must be an object.");
        }
        if (properties["currency"] is { } currencyNode && (String(currencyNode) is not { } currency || !TikTokFacts.Currencies.Contains(currency)))
        {
            return (40002, $"data[{i}].properties.currency must be a supported ISO 4217 code.");
        }
        if (properties["value"] is { } valueNode && (!TryDecimal(valueNode, out var value) || value < 0))
        {
            return (40002, $"data[{i}].properties.value must be a non-negative number.");
        }
        if (properties["contents"] is { } contentsNode)
        {
            if (contentsNode is not JsonArray contents || contents.Any(c => c is not JsonObject))
            {
                return (40002, $"data[{i}].properties.contents must be an array of objects.");
            }
            if (contents.Any(c => c!["content_id"] is { } id && String(id) is null))
            {
                return (40002, $"data[{i}].properties.contents[].content_id must be a string.");
            }
        }
        return (0, "");
    }

    private static IResult Rejected(SandboxState state, string requestId, string? pixel, int events, string? testCode, IResult result, int code)
    {
        state.Events.RecordRequest(new TrackRequestRecord(requestId, pixel, events, code, "rejected", state.Now, testCode));
        return result;
    }
}
