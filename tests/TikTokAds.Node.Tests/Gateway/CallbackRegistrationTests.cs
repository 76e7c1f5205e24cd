using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>PUT /leads/callback on a node with production rules: a receiver that is, or resolves to, a non-public address is a 400 naming callback_url.</summary>
public sealed class CallbackRegistrationTests : IClassFixture<FakeDnsGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";
    private readonly FakeDnsGatewayFactory _factory;

    public CallbackRegistrationTests(FakeDnsGatewayFactory factory)
    {
        _factory = factory;
        // What wildcard DNS answers for these names, and what an organizer's own records could say.
        factory.Names["127.0.0.1.nip.io"] = [IPAddress.Loopback];
        factory.Names["crm.rebound.example"] = [IPAddress.Parse("10.0.0.7")];
        factory.Names["crm.mixed.example"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("192.168.1.7")];
        factory.Names["crm.metadata.example"] = [IPAddress.Parse("64:ff9b::a9fe:a9fe")];
        factory.Names["crm.public.example"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("2606:4700:4700::1111")];
    }

    [Theory]
    [InlineData("https://localhost.:9443/", "must not end with a dot")]
    [InlineData("https://[64:ff9b::7f00:1]/", "loopback (NAT64)")]
    [InlineData("https://127.0.0.1.nip.io/", "wildcard-DNS")]
    [InlineData("https://[::ffff:127.0.0.1]/leads", "loopback (IPv4-mapped)")]
    [InlineData("https://100.64.0.1/leads", "shared address space")]
    [InlineData("https://crm.rebound.example/leads", "10.0.0.7 (private)")]
    [InlineData("https://crm.mixed.example/leads", "192.168.1.7 (private)")]
    [InlineData("https://crm.metadata.example/leads", "link-local (NAT64)")]
    public async Task A_receiver_that_is_or_resolves_to_a_non_public_address_is_a_400_naming_callback_url(string url, string why)
    {
        var (_, key) = await _factory.CreateOrganizerAsync("Callback registration");
        using var client = _factory.As(key);

        using var response = await client.PutAsJsonAsync($"{Api}/leads/callback", new JsonObject { ["callback_url"] = url });
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var integration = (await client.GetFromJsonAsync<JsonObject>($"{Api}/leads/integration"))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(why, (string)problem["errors"]!["callback_url"]![0]!, StringComparison.Ordinal);
        Assert.Null(integration["callback_url"]);
    }

    [Theory]
    [InlineData("https://crm.public.example/leads")]
    [InlineData("https://crm.not-yet-in-dns.example/leads")]
    public async Task A_public_receiver_or_one_not_resolving_yet_is_saved(string url)
    {
        var (_, key) = await _factory.CreateOrganizerAsync("Callback registration");
        using var client = _factory.As(key);

        using var response = await client.PutAsJsonAsync($"{Api}/leads/callback", new JsonObject { ["callback_url"] = url });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(url, (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["callback_url"]!);
    }
}
