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
    /// <summary>Every page, asset and JSON API of both dashboards.</summary>
    private static readonly string[] DashboardUrls =
    [
        "/dashboard", "/dashboard/app.js", "/dashboard/api/pixels", "/dashboard/api/audiences", "/dashboard/api/alerts", "/dashboard/api/problems",
        "/dashboard/api/pixels/org_0123456789abcdef/PX1/events",
        "/dashboard/cluster/", "/dashboard/cluster/index.html", "/dashboard/cluster/index.min.js", "/dashboard/cluster/index.css",
        "/dashboard/cluster/version", "/dashboard/cluster/DashboardCounters", "/dashboard/cluster/ClusterStats", "/dashboard/cluster/Reminders",
        "/dashboard/cluster/TopGrainMethods", "/dashboard/cluster/LifecycleStages",
    ];

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
        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (var url in DashboardUrls)
        {
            using var response = await anonymous.GetAsync(new Uri(url, UriKind.Relative));
            answers[url] = response.StatusCode;
        }

        Assert.Equal(2, active);
        Assert.All(answers, a => Assert.True(a.Value == HttpStatusCode.Unauthorized, $"{a.Key} answered {a.Value} without the login"));
    }
}
