using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

public sealed class AuthenticationTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private const string Connection = "/api/integrations/tiktok-ads/connection";

    public static TheoryData<string, string?, string?> BadKeys => new()
    {
        { "no key", null, null },
        { "empty bearer", "Bearer", "" },
        { "malformed key", "Bearer", "not-a-key" },
        { "unknown key of the right shape", "Bearer", "tta_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
        { "operator key is not an organizer key", "Bearer", GatewayFactory.AdminKey },
        { "unknown key in X-Api-Key", "X-Api-Key", "tta_000000000000_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Requests_without_a_valid_organizer_key_get_401_problem_details(string rule, string? scheme, string? key)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Connection);
        if (scheme == "X-Api-Key")
        {
            request.Headers.Add("X-Api-Key", key);
        }
        else if (scheme is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {key}".Trim());
        }

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, rule);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", (string?)problem!["code"]);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_works_in_either_header_until_it_is_revoked()
    {
        var (organizerId, apiKey) = await factory.CreateOrganizerAsync("Revocable");
        using var viaHeader = factory.CreateClient();
        viaHeader.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        using var viaBearer = factory.As(apiKey);
        using var admin = factory.Admin();
        var keyId = (string)(await admin.GetFromJsonAsync<JsonArray>($"/api/admin/organizers/{organizerId}/keys"))![0]!["key_id"]!;

        var before = (await viaHeader.GetAsync(Connection)).StatusCode;
        var beforeBearer = (await viaBearer.GetAsync(Connection)).StatusCode;
        using var revoke = await admin.DeleteAsync($"/api/admin/organizers/{organizerId}/keys/{keyId}");
        var after = (await viaBearer.GetAsync(Connection)).StatusCode;

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.OK, beforeBearer);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
    }

    [Fact]
    public async Task The_admin_api_needs_the_operator_key()
    {
        using var anonymous = factory.CreateClient();
        using var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-operator-key-123456");
        var (_, organizerKey) = await factory.CreateOrganizerAsync("Not an operator");
        using var organizer = factory.As(organizerKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/organizers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await organizer.GetAsync("/api/admin/organizers")).StatusCode);
    }

    [Fact]
    public async Task Operators_create_organizers_and_keys_that_are_shown_once_and_stored_as_hashes()
    {
        using var admin = factory.Admin();

        using var created = await admin.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = "Sunrise Festival" });
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)body["id"]!;
        var firstKey = (string)body["api_key"]!;
        using var issued = await admin.PostAsync($"/api/admin/organizers/{id}/keys", null);
        var secondKey = (string)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["api_key"]!;
        var listing = await admin.GetStringAsync($"/api/admin/organizers/{id}/keys");
        var organizers = await admin.GetStringAsync("/api/admin/organizers");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Sunrise Festival", (string?)body["name"]);
        Assert.StartsWith("tta_", firstKey, StringComparison.Ordinal);
        Assert.NotEqual(firstKey, secondKey);
        Assert.Equal(2, JsonNode.Parse(listing)!.AsArray().Count);
        Assert.DoesNotContain(firstKey, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secondKey, listing, StringComparison.Ordinal);
        Assert.Contains(id, organizers, StringComparison.Ordinal);
        Assert.False(await Storage.ContainsAsync(factory.Postgres, firstKey));
        Assert.False(await Storage.ContainsAsync(factory.Postgres, secondKey));
    }

    [Theory]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":"   "}""")]
    [InlineData("""{}""")]
    [InlineData("""{"name":12}""")]
    [InlineData("""not json""")]
    public async Task A_bad_organizer_body_is_a_400_problem(string json)
    {
        using var admin = factory.Admin();

        using var response = await admin.PostAsync("/api/admin/organizers", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
    }
}
