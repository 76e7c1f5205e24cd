using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TikTokAds.Node.Tests;

public sealed class OpenApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task The_openapi_document_parses_and_lists_every_public_endpoint_with_the_seed_examples()
    {
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();
        var example = paths.GetProperty("/api/integrations/tiktok-ads/events").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

        Assert.True(routes.Count >= 20, $"only {routes.Count} public routes found");
        Assert.All(routes, route => Assert.Contains(route, documented));
        Assert.Equal("CompletePayment", example.GetProperty("event_type").GetString());
        Assert.Equal("purchase_1001", example.GetProperty("event_id").GetString());
        Assert.DoesNotContain(documented, d => d.Contains("/_cluster", StringComparison.Ordinal) || d.Contains("sandbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_members_are_documented_as_rows_of_strings()
    {
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        // members is nullable in the body: one of null and a reference to the rows' schema.
        var reference = schemas.GetProperty("SyncBody").GetProperty("properties").GetProperty("members").GetProperty("oneOf").EnumerateArray()
            .Single(s => s.TryGetProperty("$ref", out _)).GetProperty("$ref").GetString()!;
        var members = schemas.GetProperty(reference["#/components/schemas/".Length..]);

        Assert.Contains("array", members.GetProperty("type").ToString(), StringComparison.Ordinal);
        Assert.Contains("array", members.GetProperty("items").GetProperty("type").ToString(), StringComparison.Ordinal);
        Assert.Contains("string", members.GetProperty("items").GetProperty("items").GetProperty("type").ToString(), StringComparison.Ordinal);
    }
}
