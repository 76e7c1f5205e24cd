using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>The dashboard of any node shows every node of the cluster, with each node's own report.</summary>
public sealed class DashboardClusterTests
{
    [Fact]
    public async Task The_overview_of_one_node_gathers_the_reports_of_the_others()
    {
        var settings = await ClusterSettings.CreateAsync("dashboard", new()
        {
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
        });
        await using var first = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await using var second = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await Task.WhenAll(first.WaitReadyAsync(), second.WaitReadyAsync());
        using var operator1 = new HttpClient { BaseAddress = first.BaseAddress };
        operator1.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);

        JsonObject overview = null!;
        for (var i = 0; i < 100; i++)
        {
            overview = (await operator1.GetFromJsonAsync<JsonObject>("/dashboard/api/overview"))!;
            if (overview["nodes"]!.AsArray().Count(n => (string?)n!["status"] == "active" && (bool)n["reachable"]!) == 2)
            {
                break;
            }
            await Task.Delay(200);
        }
        var nodes = overview["nodes"]!.AsArray().Where(n => (string?)n!["status"] == "active").ToList();

        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.True((bool)n!["reachable"]!, n!.ToJsonString()));
        Assert.Equal(nodes.Select(n => (string?)n!["node_id"]).Order(), nodes.Select(n => (string?)n!["report"]!["node_id"]).Order());
        Assert.Contains(nodes, n => (string?)n!["address"] == second.BaseAddress.ToString().TrimEnd('/'));
    }
}
