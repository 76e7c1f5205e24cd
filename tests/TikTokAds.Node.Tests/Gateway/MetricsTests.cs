using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TikTokAds.Sandbox;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// Runs alone: OpenTelemetry's exporter reads meters process-wide by name, and other test hosts in this
/// process (each a node with the same meters) make what one node serves unpredictable.
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed partial class MetricsTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    [Fact]
    public async Task After_traffic_every_documented_metric_has_a_non_zero_sample()
    {
        var (key, pixel, token) = await factory.PixelAsync("Metered");
        using var client = factory.As(key);
        factory.Sandbox.AddFault(new FaultRule { Path = "event/track/", AccessToken = token, Code = 40000, Count = 1 });
        await GatewayFactory.PostBatchAsync(client, Enumerable.Range(0, 20).Select(i => GatewayFactory.Event(i)));
        await factory.WaitForSandboxAsync(pixel, 0);
        await Task.Delay(1500);
        await GatewayFactory.PostBatchAsync(client, Enumerable.Range(20, 20).Select(i => GatewayFactory.Event(i)).Append(GatewayFactory.Event(20)));
        await factory.WaitForSandboxAsync(pixel, 20);
        var connection = await client.GetFromJsonAsync<JsonObject>($"{Api}/connection");
        var audience = (await (await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = (string)connection!["advertiser_id"]!, ["custom_audience_name"] = "Metered" })).Content.ReadFromJsonAsync<JsonObject>())!;
        await client.PostAsJsonAsync($"{Api}/audiences/{(string)audience["id"]!}/sync", new JsonObject
        {
            ["action"] = "APPEND", ["id_schema"] = new JsonArray("EMAIL_SHA256"), ["members"] = new JsonArray(new JsonArray("m@x.com")),
        });
        await using var receiver = await TikTokAds.Testing.CallbackReceiver.StartAsync();
        var flow = new LeadFlow(factory);
        var (leads, advertiser) = await flow.LeadOrganizerAsync("Metered leads", "metered-user", receiver);
        await LeadFlow.ConfigureAdAsync(leads, "1800000000000000099", advertiser);
        await LeadFlow.SubscribeAsync(leads, advertiser);
        await flow.AddLeadAsync(advertiser, "1800000000000000099");
        // An alert that fires on the refused batch, reaches its webhook, and resolves once its rule is switched off.
        await using var alertReceiver = await TikTokAds.Testing.CallbackReceiver.StartAsync();
        await client.PutAsJsonAsync($"{Api}/alerts/webhook", new JsonObject { ["url"] = alertReceiver.Url, ["signing_secret"] = "metered-alert-secret-0123" });
        await client.PutAsJsonAsync($"{Api}/alerts/rules", new JsonObject { ["failure_ratio"] = new JsonObject { ["enabled"] = true, ["above_ratio"] = 0, ["window_minutes"] = 60, ["min_requests"] = 1 } });
        await client.PostAsync($"{Api}/alerts/evaluate", null);
        await client.PutAsJsonAsync($"{Api}/alerts/rules", new JsonObject { ["failure_ratio"] = new JsonObject { ["enabled"] = false, ["above_ratio"] = 0, ["window_minutes"] = 60, ["min_requests"] = 1 } });
        await client.PostAsync($"{Api}/alerts/evaluate", null);
        for (var i = 0; i < 100 && (!(await Scrape()).Contains("tiktokads_audience_members_synced_total", StringComparison.Ordinal) || receiver.Calls.IsEmpty || alertReceiver.Calls.Count < 2); i++)
        {
            await Task.Delay(100);
        }

        var scraped = await Scrape();
        var documented = Documented();

        Assert.True(documented.Count >= 8, "docs/METRICS.md lists too few metrics");
        foreach (var name in documented)
        {
            var samples = Sample().Matches(scraped).Where(m => m.Groups["name"].Value == name || m.Groups["name"].Value == name + "_count").ToList();
            Assert.True(samples.Count > 0, $"{name} is documented but not served; served: {string.Join(", ", Sample().Matches(scraped).Select(m => m.Groups["name"].Value).Where(n => n.StartsWith("tiktokads", StringComparison.Ordinal)).Distinct())}");
            Assert.True(samples.Any(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0), $"{name} has no non-zero sample");
        }
        Assert.Contains("# TYPE tiktokads_tiktok_request_duration_seconds histogram", scraped, StringComparison.Ordinal);
        Assert.Contains("# TYPE orleans_app_requests_latency_milliseconds histogram", scraped, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", scraped, StringComparison.Ordinal);
        Assert.DoesNotContain("org_", scraped, StringComparison.Ordinal);
        Assert.Contains("outcome=\"duplicate\"", scraped, StringComparison.Ordinal);
    }

    private async Task<string> Scrape()
    {
        using var anonymous = factory.CreateClient();
        return await anonymous.GetStringAsync("/metrics");
    }

    /// <summary>The metrics docs/METRICS.md lists, up to its section for clustered nodes only (this node is embedded).</summary>
    private static List<string> Documented()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "METRICS.md"));
        var clustered = text.IndexOf("### Clustered nodes only", StringComparison.Ordinal);
        return [.. DocumentedName().Matches(clustered < 0 ? text : text[..clustered]).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^\| `(tiktokads_[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedName();

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{[^}]*\})? (?<value>[-0-9.eE+]+)( [0-9]+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;
