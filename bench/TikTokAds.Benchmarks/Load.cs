using System.Diagnostics;

namespace TikTokAds.Benchmarks;

public sealed record LoadResult(long Operations, double Seconds, double PerSecond, double P50Ms, double P99Ms);

/// <summary>A closed loop: <c>concurrency</c> workers each start the next operation when the last ends.</summary>
public static class Load
{
    public static async Task<LoadResult> RunAsync(TimeSpan duration, int concurrency, Func<int, Task<int>> operation)
    {
        // Warm up: JIT, connection pools, activations.
        await Task.WhenAll(Enumerable.Range(0, concurrency * 4).Select(operation));
        var latencies = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(1 << 16);
            var i = worker;
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(i);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                i += concurrency;
            }
        }));
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, seconds, all.Length / seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    /// <summary>
    /// <see cref="RunAsync"/> after a discarded run of <paramref name="warmUp"/>. A silo keeps reaching new
    /// methods for seconds, and each one postpones the tiered JIT's switch to optimised code: measured cold,
    /// local grain calls ran at a quarter of their steady rate.
    /// </summary>
    public static async Task<LoadResult> RunWarmAsync(TimeSpan warmUp, TimeSpan duration, int concurrency, Func<int, Task<int>> operation)
    {
        await RunAsync(warmUp, concurrency, operation);
        return await RunAsync(duration, concurrency, operation);
    }

    private static double Percentile(double[] sorted, double q)
        => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
