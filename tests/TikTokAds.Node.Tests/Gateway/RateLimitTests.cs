using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Per-organizer limits: one organizer's burst gets 429 with Retry-After, another's requests pass.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task An_organizer_over_its_rate_gets_429_with_retry_after_and_others_do_not()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Admin:ApiKey", GatewayFactory.AdminKey);
            b.UseSetting("Gateway:PermitsPerSecond", "1");
            b.UseSetting("Gateway:Burst", "5");
        });
        using var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        async Task<HttpClient> OrganizerAsync(string name)
        {
            using var created = await admin.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = name });
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["api_key"]!);
            return client;
        }
        using var busy = await OrganizerAsync("Busy");
        using var quiet = await OrganizerAsync("Quiet");

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            responses.Add(await busy.GetAsync("/api/integrations/tiktok-ads/connection"));
        }
        using var other = await quiet.GetAsync("/api/integrations/tiktok-ads/connection");
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();

        Assert.NotEmpty(limited);
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) >= 5);
        Assert.NotNull(limited[0].Headers.RetryAfter);
        Assert.Equal("rate_limited", (string?)(await limited[0].Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        responses.ForEach(r => r.Dispose());
    }
}
