using Xunit.Abstractions;
using static TikTokAds.Runtime.Tests.Cluster.TestCluster;

namespace TikTokAds.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ReminderAndRestartTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> FastReminders = new()
    {
        ["Grains:MinimumReminderPeriod"] = "00:00:00.500",
        ["Grains:ReminderPollInterval"] = "00:00:00.100",
    };

    private static readonly string[] Keys = [.. Enumerable.Range(0, 6).Select(i => $"reminded-{i}")];

    [Fact]
    public async Task Reminders_and_state_survive_a_full_cluster_restart_and_fire_afterwards()
    {
        await using var cluster = await TestCluster.StartAsync(2, FastReminders);
        foreach (var key in Keys)
        {
            using var response = await cluster.Nodes[0].Http.PostAsync(new Uri($"/test/probe/{key}/reminder/500", UriKind.Relative), null);
            response.EnsureSuccessStatusCode();
            await SetValueAsync(cluster.Nodes[1], key, 99);
        }
        await WaitForTicksAsync(cluster, minimum: _ => 2);

        foreach (var node in cluster.Nodes)
        {
            await node.TerminateAsync();
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.AddNodesAsync(2);
        var afterRestart = await ForAllAsync(Keys, key => StateAsync(cluster.Live.First(), key));
        var ticksAtRestart = Keys.Zip(afterRestart).ToDictionary(p => p.First, p => p.Second.ReminderTicks);
        await WaitForTicksAsync(cluster, minimum: key => ticksAtRestart[key] + 2);

        Assert.All(afterRestart, state => Assert.Equal(99, state.Value));
        output.WriteLine($"ticks at restart: {string.Join(", ", ticksAtRestart.Values)}");
    }

    private static async Task WaitForTicksAsync(TestCluster cluster, Func<string, int> minimum)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var states = await ForAllAsync(Keys, key => StateAsync(cluster.Live.First(), key));
            if (Keys.Zip(states).All(p => p.Second.ReminderTicks >= minimum(p.First)))
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail("reminders did not tick within 20 s");
    }
}
