using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>The embedded default: a node with no database answers its health endpoints.</summary>
public sealed class NodeHostTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("/health/live", "Healthy")]
    // Ready, yet degraded: without Leads:WebhookSecret it refuses lead webhooks (LeadWebhookSigningTests).
    [InlineData("/health/ready", "Degraded")]
    public async Task An_embedded_node_is_live_and_ready(string path, string status)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, (await response.Content.ReadAsStringAsync()).Split('\n')[0]);
    }

    [Fact]
    public async Task Node_to_node_calls_are_refused_when_no_cluster_secret_is_set()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/_cluster/call", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
