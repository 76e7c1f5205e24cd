using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using TikTokAds.Node.Tests.Gateway;

namespace TikTokAds.Node.Tests;

/// <summary>
/// A node without Leads:WebhookSecret (the embedded default) refuses lead webhooks, and says so at start-up and
/// in /health/ready; an operator can opt out, loudly.
/// </summary>
public sealed class LeadWebhookSigningTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const string Forged = """{"object":{"lead_id":"7399000000000000001","advertiser_id":"7100000000000000001","changes":[{"field":"name","value":"Forged"}]}}""";

    [Fact]
    public async Task Without_a_webhook_secret_an_unsigned_lead_is_refused_with_503_webhook_not_configured()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/webhooks/tiktok/leads", UriKind.Relative), new StringContent(Forged, Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("webhook_not_configured", (string)JsonNode.Parse(body)!["code"]!);
        Assert.Contains("Leads:WebhookSecret", (string)JsonNode.Parse(body)!["detail"]!, StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Without_a_webhook_secret_the_node_is_ready_but_its_readiness_and_start_up_log_say_lead_webhooks_are_refused()
    {
        var logs = new CapturingLoggerProvider();
        using var node = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = node.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        var detail = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("Degraded\nlead-webhook: Degraded: Lead webhooks are refused: Leads:WebhookSecret is not set.", detail, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("Lead webhooks are refused (503 webhook_not_configured): Leads:WebhookSecret is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_operator_may_accept_unsigned_lead_webhooks_and_is_warned_at_critical()
    {
        var logs = new CapturingLoggerProvider();
        using var node = factory.WithWebHostBuilder(b => b.UseSetting("Leads:AllowUnsignedWebhooks", "true").ConfigureLogging(l => l.AddProvider(logs)));
        using var client = node.CreateClient();

        using var response = await client.PostAsync(new Uri("/webhooks/tiktok/leads", UriKind.Relative), new StringContent(Forged, Encoding.UTF8, "application/json"));
        var ready = await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative));

        // Taken unchecked; no organizer claims this advertiser, so it is answered 202 unrouted.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("accepted unsigned", ready, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("accepted UNSIGNED", StringComparison.Ordinal));
    }

    [Fact]
    public void Allowing_private_call_back_addresses_is_warned_at_start_up_and_off_by_default()
    {
        var quiet = new CapturingLoggerProvider();
        var loud = new CapturingLoggerProvider();
        using var byDefault = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(quiet)));
        using var allowing = factory.WithWebHostBuilder(b => b.UseSetting("Leads:AllowPrivateCallbackAddresses", "true").ConfigureLogging(l => l.AddProvider(loud)));

        using var _ = byDefault.CreateClient();
        using var __ = allowing.CreateClient();

        Assert.DoesNotContain(quiet.Lines, l => l.Contains("Leads:AllowPrivateCallbackAddresses", StringComparison.Ordinal));
        Assert.Contains(loud.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Call-backs may reach PRIVATE addresses (Leads:AllowPrivateCallbackAddresses=true)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_webhook_secret_an_unsigned_lead_is_refused_as_unauthorized_and_the_node_is_healthy()
    {
        using var node = factory.WithWebHostBuilder(b => b.UseSetting("Leads:WebhookSecret", "a-webhook-secret-of-the-app"));
        using var client = node.CreateClient();

        using var response = await client.PostAsync(new Uri("/webhooks/tiktok/leads", UriKind.Relative), new StringContent(Forged, Encoding.UTF8, "application/json"));
        var ready = await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Healthy", ready);
    }
}
