using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>Orleans' dashboard on any node shows every silo of the cluster, behind the operator login.</summary>
public sealed class DashboardClusterTests
{
    [Fact]
    public async Task The_cluster_dashboard_of_one_node_lists_every_active_silo_and_needs_the_operator_key()
    {
        var settings = await ClusterSettings.CreateAsync("dashboard", new()
        {
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
        });
        await using var first = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await using var second = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await Task.WhenAll(first.WaitReadyAsync(), second.WaitReadyAsync());
        using var anonymous = new HttpClient { BaseAddress = first.BaseAddress };
        using var operator1 = new HttpClient { BaseAddress = first.BaseAddress };
        operator1.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);

        var active = 0;
        for (var i = 0; i < 100 && active < 2; i++)
        {
            var counters = (await operator1.GetFromJsonAsync<JsonObject>("/dashboard/cluster/DashboardCounters"))!;
            active = counters["hosts"]!.AsArray().Count(h => (string?)h!["status"] == "Active");
            await Task.Delay(200);
        }
        using var page = await anonymous.GetAsync(new Uri("/dashboard/cluster/", UriKind.Relative));
        using var json = await anonymous.GetAsync(new Uri("/dashboard/cluster/DashboardCounters", UriKind.Relative));
        using var script = await anonymous.GetAsync(new Uri("/dashboard/cluster/index.min.js", UriKind.Relative));

        Assert.Equal(2, active);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, json.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
    }
}
