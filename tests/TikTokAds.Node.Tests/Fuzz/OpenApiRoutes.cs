using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>The fuzz's route list: every operation of the node's OpenAPI document, plus the routes it leaves out on purpose.</summary>
internal static class OpenApiRoutes
{
    /// <summary>Anonymous or operator routes excluded from the document (dashboard, health, metrics, the document itself).</summary>
    private static readonly FuzzRoute[] Undocumented =
    [
        new("GET", "/dashboard/login", [], ["failed"], null, null),
        new("POST", "/dashboard/login", [], [], null, null, "application/x-www-form-urlencoded"),
        new("GET", "/dashboard", [], [], null, null),
        new("GET", "/dashboard/app.js", [], [], null, null),
        new("GET", "/dashboard/api/problems", [], [], null, null),
        new("GET", "/dashboard/api/pixels", [], [], null, null),
        new("GET", "/dashboard/api/pixels/{organizerId}/{pixelId}/events", ["organizerId", "pixelId"], [], null, null),
        new("GET", "/dashboard/api/audiences", [], [], null, null),
        new("GET", "/dashboard/cluster", [], [], null, null),
        new("GET", "/health/live", [], [], null, null),
        new("GET", "/health/ready", [], [], null, null),
        new("GET", "/metrics", [], [], null, null),
        new("GET", "/openapi/v1.json", [], [], null, null),
    ];

    public static IReadOnlyList<FuzzRoute> Read(JsonObject document)
    {
        var schemas = document["components"]?["schemas"] as JsonObject ?? [];
        var routes = new List<FuzzRoute>();
        foreach (var (template, operations) in (JsonObject)document["paths"]!)
        {
            foreach (var (method, operation) in (JsonObject)operations!)
            {
                var parameters = (operation!["parameters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                var content = operation["requestBody"]?["content"] as JsonObject;
                var json = content?["application/json"] as JsonObject;
                routes.Add(new FuzzRoute(
                    method.ToUpperInvariant(),
                    template,
                    [.. parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!)],
                    [.. parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!)],
                    json?["schema"] is JsonObject schema ? Resolve(schema, schemas, 0) : null,
                    json?["example"]?.DeepClone(),
                    json is null ? content?.Select(c => c.Key).FirstOrDefault() : "application/json"));
            }
        }
        var documented = routes.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
        routes.AddRange(Undocumented.Where(r => !documented.Contains(r.ToString())));
        return routes;
    }

    /// <summary>Inlines $ref and collapses "oneOf [null, X]" to X, so generators see one plain schema.</summary>
    private static JsonObject Resolve(JsonObject schema, JsonObject schemas, int depth)
    {
        if (depth > 8)
        {
            return [];
        }
        if (schema["$ref"] is JsonValue reference)
        {
            var name = ((string)reference!).Split('/')[^1];
            return schemas[name] is JsonObject target ? Resolve(target, schemas, depth + 1) : [];
        }
        if (schema["oneOf"] is JsonArray oneOf && oneOf.OfType<JsonObject>().FirstOrDefault(s => (string?)s["type"] != "null") is { } chosen)
        {
            return Resolve(chosen, schemas, depth + 1);
        }
        var copy = (JsonObject)schema.DeepClone();
        if (copy["properties"] is JsonObject properties)
        {
            foreach (var name in properties.Select(p => p.Key).ToList())
            {
                properties[name] = Resolve((JsonObject)properties[name]!, schemas, depth + 1);
            }
        }
        if (copy["items"] is JsonObject items)
        {
            copy["items"] = Resolve(items, schemas, depth + 1);
        }
        return copy;
    }
}
