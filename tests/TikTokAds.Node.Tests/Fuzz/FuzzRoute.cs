using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>A route the fuzz aims at: from the OpenAPI document, or one of the anonymous routes it leaves out.</summary>
/// <param name="Body">The request body's schema with every $ref resolved; null when the route takes none.</param>
/// <param name="Example">The document's example body, a better start for mutations than one made from the schema.</param>
internal sealed record FuzzRoute(
    string Method,
    string Template,
    IReadOnlyList<string> PathParameters,
    IReadOnlyList<string> QueryParameters,
    JsonObject? Body,
    JsonNode? Example,
    string? BodyContentType = null)
{
    public bool IsAdmin => Template.StartsWith("/api/admin", StringComparison.Ordinal);

    public bool IsOrganizer => Template.StartsWith("/api/integrations/", StringComparison.Ordinal) && !Template.EndsWith("/oauth/callback", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Template}";
}
