using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// A body the route would accept (or nearly), from the document's example or its schema with the fixture's real
/// ids: mutations of it get past the first validation error and reach the code behind it.
/// </summary>
internal static class ValidBodies
{
    public const string LeadWebhook = "/webhooks/tiktok/leads";

    public static JsonNode For(FuzzRoute route, FuzzIds ids)
    {
        if (route.Template == LeadWebhook)
        {
            return new JsonObject
            {
                ["event"] = "lead", ["object"] = new JsonObject
                {
                    ["lead_id"] = "7400000000000000002", ["advertiser_id"] = ids.LeadAdvertiserId, ["page_id"] = "7300000000000009001",
                    ["ad_id"] = "7500000000000000001", ["create_time"] = "1767225600",
                    ["changes"] = new JsonArray(new JsonObject { ["field"] = "name", ["value"] = "Ana Pop" }, new JsonObject { ["field"] = "phone_number", ["value"] = "+40721234567" }),
                },
            };
        }
        var body = route.Example?.DeepClone() ?? FromSchema(route.Body, "", 0) ?? new JsonObject();
        if (body is JsonObject root)
        {
            Fill(root, route.Body, ids);
        }
        Refresh(body);
        return body;
    }

    /// <summary>Event times made now: the document's example times age past the 7-day window, and every mutation would stop there.</summary>
    private static void Refresh(JsonNode? node)
    {
        foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] })
        {
            Refresh(child);
        }
        if (node is JsonObject { } withTime && withTime["event_time"] is JsonValue)
        {
            withTime["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }
    }

    /// <summary>The fixture's real ids where the example has placeholders; the example's other fields stay as they are.</summary>
    private static void Fill(JsonObject body, JsonObject? schema, FuzzIds ids)
    {
        foreach (var (name, _) in schema?["properties"] as JsonObject ?? [])
        {
            if (name is "pixel_id" or "advertiser_id" && body.ContainsKey(name))
            {
                body[name] = Known(name, ids);
            }
        }
    }

    private static JsonNode? FromSchema(JsonObject? schema, string name, int depth)
    {
        if (schema is null || depth > 4)
        {
            return null;
        }
        if (Known(name, null) is { } known)
        {
            return known;
        }
        var types = schema["type"] switch
        {
            JsonArray array => array.Select(t => (string?)t).ToList(),
            JsonValue value => [(string?)value],
            _ => [],
        };
        if (types.Contains("object") || schema["properties"] is not null)
        {
            var result = new JsonObject();
            foreach (var (property, child) in schema["properties"] as JsonObject ?? [])
            {
                result[property] = FromSchema(child as JsonObject, property, depth + 1);
            }
            return result;
        }
        if (types.Contains("array"))
        {
            return new JsonArray(FromSchema(schema["items"] as JsonObject, "", depth + 1));
        }
        return types.Contains("boolean") ? true : types.Contains("integer") ? 1 : types.Contains("number") ? 1.5 : types.Contains("string") ? "fuzz" : null;
    }

    private static JsonNode? Known(string name, FuzzIds? ids) => name switch
    {
        "pixel_id" => ids?.PixelId ?? "SANDBOXPIXEL0001",
        "advertiser_id" => ids?.AdvertiserId ?? "7000000000000000001",
        "access_token" => "sandbox-access-token",
        "event_type" => "ViewContent",
        "event_time" => DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        "custom_audience_name" => "Fuzz audience",
        "audience_type" => "CUSTOMER_FILE",
        "id_schema" => new JsonArray("EMAIL_SHA256"),
        "members" => new JsonArray(new JsonArray("fan@example.com")),
        "action" => "APPEND",
        "audience_size" => "BALANCED",
        "location_ids" => new JsonArray("798549"),
        "callback_url" => "https://callback.example/leads",
        "signing_secret" => "fuzz-signing-secret-0123456789",
        "page_id" => "7300000000000009001",
        "ad_id" => "7500000000000000001",
        "utm" => new JsonObject { ["utm_source"] = "tiktok" },
        "text_template" => "Call {name}",
        "default_country_code" => "40",
        "currency" => "EUR",
        "email" => "fan@example.com",
        "phone" => "+40721234567",
        "page_url" => "https://tickets.example/e/1",
        "ip" => "203.0.113.7",
        _ => null,
    };
}
