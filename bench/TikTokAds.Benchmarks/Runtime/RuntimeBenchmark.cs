using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Runtime;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks.Runtime;

/// <summary>
/// Local and cross-node grain call rates, each printed beside its baseline measured in the same run on
/// the same machine: a plain async method call, and a raw HTTP round trip between the same two processes.
/// </summary>
public static class RuntimeBenchmark
{
    public static async Task<int> RunAsync(double seconds, int concurrency)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"Runtime benchmark: {concurrency} concurrent callers, {seconds:0.#} s per figure, {Environment.ProcessorCount} cores");

        var plainTarget = new PlainTarget();
        var plain = await Load.RunAsync(duration, concurrency, plainTarget.PingAsync);
        Report("plain async method calls", plain);

        await using (var node = BenchNode.Build(["--urls", $"http://127.0.0.1:{FreePort.Next()}"]))
        {
            await node.StartAsync();
            var grains = node.Services.GetRequiredService<IGrainFactory>();
            var keys = Enumerable.Range(0, concurrency * 4).Select(i => grains.GetGrain<IBenchGrain>($"local-{i}")).ToArray();
            var local = await Load.RunAsync(duration, concurrency, i => keys[i % keys.Length].PingAsync(i));
            Report("local grain calls (embedded node)", local);
            Ratio("local grain calls / plain async calls", local, plain);
            await node.StopAsync();
        }

        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = await TestPostgres.CreateDatabaseAsync("bench_runtime"),
            ["Cluster:Secret"] = "benchmark-cluster-secret",
        };
        var self = typeof(RuntimeBenchmark).Assembly.Location;
        await using var a = NodeProcess.Start(self, settings, arguments: ["node"]);
        await using var b = NodeProcess.Start(self, settings, arguments: ["node"]);
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());
        while (await a.Http.GetFromJsonAsync<int>("/bench/view") < 2 || await b.Http.GetFromJsonAsync<int>("/bench/view") < 2)
        {
            await Task.Delay(100);
        }
        var query = string.Create(CultureInfo.InvariantCulture, $"seconds={seconds}&concurrency={concurrency}");
        var http = await PostAsync(a, $"/bench/http?{query}&target={Uri.EscapeDataString(b.BaseAddress.ToString())}");
        Report("raw HTTP round trips, node A -> node B", http);
        var cross = await PostAsync(a, $"/bench/cross?{query}");
        Report("cross-node grain calls, node A -> node B", cross);
        Ratio("cross-node grain calls / raw HTTP round trips", cross, http);
        return 0;
    }

    private static async Task<LoadResult> PostAsync(NodeProcess node, string path)
    {
        using var response = await node.Http.PostAsync(new Uri(path, UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LoadResult>())!;
    }

    private static void Report(string name, LoadResult result)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-44} {result.PerSecond,14:N0} /s   p50 {result.P50Ms,8:0.000} ms   p99 {result.P99Ms,8:0.000} ms   ({result.Operations:N0} in {result.Seconds:0.0} s)"));

    private static void Ratio(string name, LoadResult measured, LoadResult baseline)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio {name}: {measured.PerSecond / baseline.PerSecond:0.000}"));
}
