using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Sandbox;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests.Cluster;

/// <summary>Three (or two) real node processes on one PostgreSQL: placement, a killed node, a graceful stop, a full restart, a database outage.</summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    private const string Api = "/api/integrations/tiktok-ads";

    [Fact]
    public async Task Three_nodes_form_one_cluster_and_pixels_spread_over_all_of_them()
    {
        await using var cluster = await ClusterHarness.StartAsync("spread", nodes: 3, pixels: 24);
        using var client = cluster.Client(cluster.Nodes[0]);

        foreach (var (pixel, i) in cluster.Pixels.Select((p, i) => (p, i)))
        {
            using var response = await SendAsync(client, pixel, i);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var hosts = await ClusterHarness.HostsAsync(cluster.Nodes[0]);
        output.WriteLine(string.Join(", ", hosts.GroupBy(h => h.Value).Select(g => $"{g.Key}: {g.Count()} pixels")));

        Assert.Equal(24, hosts.Count);
        Assert.Equal(cluster.Nodes.Select(ClusterHarness.SiloOf).Order(), hosts.Values.Distinct().Order());
    }

    [Fact]
    public async Task After_kill_9_of_a_node_under_load_its_pixels_answer_again_within_seconds_and_every_acknowledged_event_is_delivered()
    {
        await using var cluster = await ClusterHarness.StartAsync("kill", nodes: 3, pixels: 24);
        var (survivor1, survivor2, victim) = (cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2]);
        using var client1 = cluster.Client(survivor1);
        using var client2 = cluster.Client(survivor2);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        using var load = new CancellationTokenSource();
        var sequence = 0;
        var sender = Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref sequence);
                var pixel = cluster.Pixels[i % cluster.Pixels.Count];
                using var response = await SendAsync(i % 2 == 0 ? client1 : client2, pixel, i);
                answers.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged.Add($"lead_{i}");
                }
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(2));
        var hosts = await ClusterHarness.HostsAsync(survivor1);
        var victimPixels = hosts.Where(h => h.Value == ClusterHarness.SiloOf(victim)).Select(h => h.Key).ToList();

        victim.Kill();
        var clock = Stopwatch.StartNew();
        var waiting = victimPixels.ToHashSet();
        while (waiting.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            foreach (var pixel in waiting.ToList())
            {
                using var status = await client1.GetAsync(new Uri($"{Api}/pixels/{pixel}/status", UriKind.Relative));
                if (status.IsSuccessStatusCode)
                {
                    waiting.Remove(pixel);
                }
            }
            await Task.Delay(50);
        }
        var recovery = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.CancelAsync();
        await sender;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && acknowledged.Except(cluster.Delivered()).Any())
        {
            await Task.Delay(200);
        }
        var missing = acknowledged.Except(cluster.Delivered()).ToList();
        output.WriteLine($"kill -9 → the victim's {victimPixels.Count} pixels answered again after {recovery.TotalSeconds:0.00} s; " +
            $"{acknowledged.Count} events acknowledged, {missing.Count} missing; answers: {string.Join(", ", answers.Select(a => $"{a.Key}×{a.Value}"))}");

        Assert.NotEmpty(victimPixels);
        Assert.Empty(waiting);
        Assert.True(recovery < TimeSpan.FromSeconds(5), $"the killed node's pixels took {recovery.TotalSeconds:0.00} s to answer again");
        Assert.Empty(missing);
        Assert.All(answers.Keys, code => Assert.True(code is 202 or 503, $"answered {code}"));
    }

    [Fact]
    public async Task A_gracefully_stopped_node_flushes_its_pixels_before_it_exits_and_they_move_to_the_others()
    {
        // Events wait a minute for company (and for the reminder), so only the stopping node's last flush can send them.
        await using var cluster = await ClusterHarness.StartAsync("graceful", nodes: 3, pixels: 12, new() { ["Pixels:FlushInterval"] = "00:01:00", ["Pixels:ReminderPeriod"] = "00:01:00" });
        using var client = cluster.Client(cluster.Nodes[0]);
        foreach (var (pixel, i) in cluster.Pixels.Select((p, i) => (p, i)))
        {
            using var response = await SendAsync(client, pixel, i);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var stopping = cluster.Nodes[2];
        var hosts = await ClusterHarness.HostsAsync(cluster.Nodes[0]);
        var moving = hosts.Where(h => h.Value == ClusterHarness.SiloOf(stopping)).Select(h => h.Key).ToList();
        var deliveredBefore = cluster.Delivered().Count;

        await stopping.TerminateAsync();
        var deliveredAtExit = moving.Sum(p => cluster.Sandbox.State.Events.Stats(p).UniqueEvents);
        var after = await ClusterHarness.HostsAsync(cluster.Nodes[0]);
        output.WriteLine($"{moving.Count} pixels on the stopped node; delivered before the stop {deliveredBefore}, theirs delivered at exit {deliveredAtExit}");

        Assert.NotEmpty(moving);
        Assert.Equal(0, deliveredBefore);
        Assert.Equal(moving.Count, deliveredAtExit);
        Assert.All(moving, pixel => Assert.NotEqual(ClusterHarness.SiloOf(stopping), after[pixel]));
    }

    [Fact]
    public async Task A_full_cluster_restart_keeps_organizers_connections_waiting_events_and_their_reminders()
    {
        await using var cluster = await ClusterHarness.StartAsync("restart", nodes: 2, pixels: 4);
        cluster.Sandbox.AddFault(new FaultRule { Path = "event/track/", AccessToken = cluster.Token, HttpStatus = 503 });
        using (var client = cluster.Client(cluster.Nodes[0]))
        {
            foreach (var (pixel, i) in cluster.Pixels.Select((p, i) => (p, i)))
            {
                using var response = await SendAsync(client, pixel, i);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
        }
        foreach (var node in cluster.Nodes)
        {
            node.Kill();
        }
        cluster.Sandbox.State.Faults.Clear();

        // Nobody calls the new cluster: only the reminders can bring the pixels back to send.
        var fresh = await Task.WhenAll(cluster.StartNodeAsync(), cluster.StartNodeAsync());
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && cluster.Delivered().Count < cluster.Pixels.Count)
        {
            await Task.Delay(200);
        }
        var delivered = cluster.Delivered().Count;
        using var after = cluster.Client(fresh[0]);
        var connection = await after.GetFromJsonAsync<JsonObject>($"{Api}/connection");
        output.WriteLine($"after the restart the reminders delivered {delivered} waiting event(s) in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(cluster.Pixels.Count, delivered);
        Assert.Equal(cluster.Pixels.Count, connection!["pixels"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_15_second_database_outage_kills_no_node_answers_503_with_retry_after_and_loses_nothing_acknowledged()
    {
        await using var cluster = await ClusterHarness.StartAsync("outage", nodes: 3, pixels: 6);
        using var client = cluster.Client(cluster.Nodes[0]);
        var acknowledged = new List<string>();
        var answers = new Dictionary<string, int>();
        var sequence = 0;
        async Task SendForAsync(TimeSpan duration)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                var i = ++sequence;
                using var response = await SendAsync(client, cluster.Pixels[i % cluster.Pixels.Count], i);
                var kind = response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null ? "503+Retry-After" : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                answers[kind] = answers.GetValueOrDefault(kind) + 1;
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged.Add($"lead_{i}");
                }
                await Task.Delay(20);
            }
        }

        await SendForAsync(TimeSpan.FromSeconds(2));
        cluster.Database.Cut();
        await SendForAsync(TimeSpan.FromSeconds(15));
        cluster.Database.Restore();
        var recovered = Stopwatch.StartNew();
        await Task.WhenAll(cluster.Nodes.Select(n => n.WaitReadyAsync(TimeSpan.FromSeconds(60))));
        await SendForAsync(TimeSpan.FromSeconds(3));
        while (recovered.Elapsed < TimeSpan.FromSeconds(60) && acknowledged.Except(cluster.Delivered()).Any())
        {
            await Task.Delay(200);
        }
        output.WriteLine($"answers: {string.Join(", ", answers.Select(a => $"{a.Key}×{a.Value}"))}; acknowledged {acknowledged.Count}");

        Assert.All(cluster.Nodes, node => Assert.False(node.HasExited, $"node {node.Port} died:\n{node.Output}"));
        Assert.Equal(["202", "503+Retry-After"], answers.Keys.Order());
        Assert.Empty(acknowledged.Except(cluster.Delivered()));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string pixel, int i)
    {
        var body = GatewayFactory.Event(i, "Lead");
        body["pixel_id"] = pixel;
        return client.PostAsJsonAsync($"{Api}/events", body);
    }
}
