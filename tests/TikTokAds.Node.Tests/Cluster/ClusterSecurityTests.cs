using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests.Cluster;

/// <summary>Silo-to-silo traffic is mutual TLS with one pinned cluster certificate.</summary>
public sealed class ClusterSecurityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_with_another_certificate_never_joins_while_one_with_the_cluster_certificate_does()
    {
        var settings = await ClusterSettings.CreateAsync("tls", new() { ["Admin:ApiKey"] = GatewayFactory.AdminKey });
        await using var first = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await first.WaitReadyAsync();

        await using var stranger = NodeProcess.Start(NodeCli.NodeAssembly, new Dictionary<string, string>(settings) { ["Cluster:CertificatePath"] = ClusterTestCertificates.Other });
        await using var friend = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await friend.WaitReadyAsync();
        var clock = Stopwatch.StartNew();
        var strangerReady = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && !stranger.HasExited)
        {
            strangerReady |= await ReadyAsync(stranger);
            await Task.Delay(250);
        }
        using var operatorClient = ClusterHarness.Operator(first);
        var hosts = (await operatorClient.GetFromJsonAsync<JsonObject>("/dashboard/cluster/DashboardCounters"))!["hosts"]!.AsArray();
        var active = hosts.Where(h => (string?)h!["status"] == "Active").Select(h => (string)h!["siloAddress"]!).ToList();
        output.WriteLine($"active silos: {string.Join(", ", active)}; the stranger exited: {stranger.HasExited}");

        Assert.False(strangerReady, "the node with another certificate became ready");
        Assert.Equal(2, active.Count);
        Assert.Contains(active, a => a.Contains($":{friend.SiloPort}", StringComparison.Ordinal));
        Assert.DoesNotContain(active, a => a.Contains($":{stranger.SiloPort}", StringComparison.Ordinal));
        Assert.True(await ReadyAsync(first));
    }

    private static async Task<bool> ReadyAsync(NodeProcess node)
    {
        try
        {
            using var response = await node.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
