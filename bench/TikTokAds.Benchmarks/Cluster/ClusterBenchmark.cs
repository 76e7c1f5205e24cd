using System.Globalization;
using System.Net.Http.Json;
using Orleans.Serialization;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks.Cluster;

/// <summary>
/// Orleans grain call rates, each printed beside its baseline measured in the same run on the same
/// machine: local calls against a plain async method call, and cross-node calls between two silo
/// processes against raw loopback TCP round trips of the same payload between the same two processes.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task<int> RunAsync(double seconds, double warmUpSeconds, int concurrency)
    {
        var (duration, warmUp) = (TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmUpSeconds));
        Console.WriteLine($"Cluster benchmark: {concurrency} closed-loop callers, {seconds:0.#} s per figure after {warmUpSeconds:0.#} s of warm-up, {Environment.ProcessorCount} cores");

        var plainTarget = new PlainTarget();
        var plain = await Load.RunWarmAsync(warmUp, duration, concurrency, async i =>
        {
            await plainTarget.EchoAsync(EchoPayload.Sample(i));
            return 0;
        });
        Report("plain async method calls (baseline)", plain, concurrency);

        await using (var node = BenchNode.Build(["--urls", $"http://127.0.0.1:{FreePort.Next()}"]))
        {
            await node.StartAsync();
            var size = node.Services.GetRequiredService<Serializer>().SerializeToArray(EchoPayload.Sample(12_345)).Length;
            Console.WriteLine($"  payload: {nameof(EchoPayload)}, {size} B as Orleans serialises it");
            var grains = node.Services.GetRequiredService<IGrainFactory>();
            var keys = Enumerable.Range(0, concurrency * 4).Select(i => grains.GetGrain<IBenchGrain>($"local-{i}")).ToArray();
            var local = await Load.RunWarmAsync(warmUp, duration, concurrency, async i =>
            {
                await keys[i % keys.Length].EchoAsync(EchoPayload.Sample(i));
                return 0;
            });
            Report("Orleans local grain calls (same silo)", local, concurrency);
            Ratio("local grain calls / plain async calls", local, plain);
            await node.StopAsync();
        }

        var primary = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var echoPort = FreePort.Next();
        var self = typeof(ClusterBenchmark).Assembly.Location;
        await using var a = NodeProcess.Start(self, new Dictionary<string, string> { ["Cluster:SiloPort"] = primary, ["Bench:PrimarySiloPort"] = primary }, arguments: ["node"]);
        await a.WaitReadyAsync();
        await using var b = NodeProcess.Start(self, new Dictionary<string, string>
        {
            ["Bench:PrimarySiloPort"] = primary,
            ["Bench:EchoPort"] = echoPort.ToString(CultureInfo.InvariantCulture),
        }, arguments: ["node"]);
        await b.WaitReadyAsync();
        while (await a.Http.GetFromJsonAsync<int>("/bench/view") < 2 || await b.Http.GetFromJsonAsync<int>("/bench/view") < 2)
        {
            await Task.Delay(100);
        }
        var query = string.Create(CultureInfo.InvariantCulture, $"seconds={seconds}&warmUp={warmUpSeconds}&concurrency={concurrency}");
        var tcp = await PostAsync(a, $"/bench/tcp?{query}&port={echoPort}");
        Report("raw TCP round trips A -> B, socket per caller", tcp, concurrency);
        var pipelined = await PostAsync(a, $"/bench/tcp-pipelined?{query}&port={echoPort}");
        Report("raw TCP round trips A -> B, one shared socket", pipelined, concurrency);
        var cross = await PostAsync(a, $"/bench/cross?{query}");
        Report("Orleans cross-node grain calls A -> B", cross, concurrency);
        Ratio("cross-node grain calls / raw TCP, socket per caller", cross, tcp);
        Ratio("cross-node grain calls / raw TCP, one shared socket", cross, pipelined);
        return 0;
    }

    private static async Task<LoadResult> PostAsync(NodeProcess node, string path)
    {
        // A figure takes its warm-up and its duration, longer than the node's default client waits.
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), null);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{node.Output}");
        }
        return (await response.Content.ReadFromJsonAsync<LoadResult>())!;
    }

    /// <summary>The mean comes from Little's law (callers ÷ rate): a closed loop's tail can sit far beyond its p99.</summary>
    private static void Report(string name, LoadResult result, int concurrency)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-50} {result.PerSecond,12:N0} /s   p50 {result.P50Ms,7:0.000} ms   p99 {result.P99Ms,7:0.000} ms   mean {concurrency * 1000 / result.PerSecond,7:0.000} ms   ({result.Operations:N0} in {result.Seconds:0.0} s)"));

    private static void Ratio(string name, LoadResult measured, LoadResult baseline)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio {name}: {measured.PerSecond / baseline.PerSecond:0.000}"));
}
