using System.Diagnostics;

namespace TikTokAds.Benchmarks;

/// <summary>A measured run. <paramref name="StartedAt"/> is when it began on the CLOCK_MONOTONIC timeline, in seconds (what <see cref="Load.Now"/> reads, and `perf record -k mono` stamps samples with).</summary>
public sealed record LoadResult(long Operations, double Seconds, double PerSecond, double P50Ms, double P99Ms, double StartedAt = 0);

/// <summary>A closed loop: <c>concurrency</c> workers each start the next operation when the last ends.</summary>
public static class Load
{
    /// <summary>Seconds on the monotonic clock: on Linux, <see cref="Stopwatch"/> reads CLOCK_MONOTONIC.</summary>
    public static double Now => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>
    /// <paramref name="measuring"/> is called after the short warm-up, as the measured run starts: a CPU meter started
    /// there leaves the warm-up's operations out (4 per worker: for 4 clients posting 1,000-event batches, 16 batches,
    /// about a tenth of a 10 s run, whose CPU was counted against the measured events).
    /// </summary>
    public static async Task<LoadResult> RunAsync(TimeSpan duration, int concurrency, Func<int, Task<int>> operation, Func<Task>? measuring = null)
    {
        // Warm up: JIT, connection pools, activations.
        await Task.WhenAll(Enumerable.Range(0, concurrency * 4).Select(operation));
        if (measuring is not null)
        {
            await measuring();
        }
        var latencies = new List<double>[concurrency];
        var startedAt = Now;
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
        return new LoadResult(all.Length, seconds, all.Length / seconds, Percentile(all, 0.50), Percentile(all, 0.99), startedAt);
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

    /// <summary>
    /// An open loop: operations start at <paramref name="perSecond"/>, evenly spaced, whether or not earlier ones
    /// have finished (at most <paramref name="maxInFlight"/> at once), so latency is measured at a chosen load rather
    /// than at whatever load the closed loop reaches.
    /// </summary>
    private static readonly TimeSpan MinimumSleep = TimeSpan.FromMilliseconds(1);

    public static async Task<LoadResult> RunAtRateAsync(TimeSpan duration, double perSecond, Func<int, Task<int>> operation, int maxInFlight = 4096)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var inFlight = new List<Task>();
        using var gate = new SemaphoreSlim(maxInFlight);
        var startedAt = Now;
        var clock = Stopwatch.StartNew();
        var started = 0;
        while (clock.Elapsed < duration)
        {
            var due = TimeSpan.FromSeconds(started / perSecond);
            // One reading of the clock: read twice, the wait could come out just below zero, and a wait that rounds to
            // -1 ms is Task.Delay's "forever" (the run then never ended).
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                // Sleep, never spin: the driver shares the cores with what it measures. Operations that fall due
                // during the sleep start together when it ends, each timed from when it was due. A wait under 1 ms
                // sleeps 1 ms: Task.Delay truncates it to 0 ms and completes at once, and this loop then spun a
                // whole core at every rate above 1,000/s.
                await Task.Delay(wait < MinimumSleep ? MinimumSleep : wait);
                continue;
            }
            await gate.WaitAsync();
            var i = started++;
            inFlight.Add(Task.Run(async () =>
            {
                // Latency from when the operation was due, so a late start counts against it (no coordinated omission).
                try
                {
                    await operation(i);
                    latencies.Add((clock.Elapsed - due).TotalMilliseconds);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(inFlight);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.Order().ToArray();
        return new LoadResult(all.Length, seconds, all.Length / seconds, Percentile(all, 0.50), Percentile(all, 0.99), startedAt);
    }

    /// <summary>Posts a JSON body; anything but 2xx stops the run with the answer.</summary>
    public static async Task<int> PostJsonAsync(HttpClient http, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        if ((int)response.StatusCode >= 300)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return 0;
    }

    private static double Percentile(double[] sorted, double q)
        => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
