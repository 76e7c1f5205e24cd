using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;

namespace TikTokAds.Benchmarks.Events;

/// <summary>What one run of <see cref="ManyPixelsBenchmark"/> measured.</summary>
internal sealed record ManyPixelsFigures(
    int Pixels, double ConnectSeconds, LoadResult OnePixelBefore, LoadResult ManyPixels, LoadResult OnePixelAfter,
    IdleMemory? Connected, IdleMemory? JustDelivered, IdleMemory? Idle)
{
    /// <summary>Many-pixel events/s over the one-pixel figure: the mean of the runs before and after, as the table grows in between.</summary>
    public double Ratio => ManyPixels.PerSecond / ((OnePixelBefore.PerSecond + OnePixelAfter.PerSecond) / 2);
}

/// <summary>The node's live heap per idle pixel activation, with the types that make it up.</summary>
internal sealed record IdleMemory(long Activations, double BytesPerActivation, IReadOnlyList<(string Type, long Bytes, long Count)> Growth);

/// <summary>
/// Many pixels receiving 1,000-event batches at once on a PostgreSQL node, against one pixel receiving the
/// same batches from the same clients in the same run (before and after); then what an idle pixel holds.
/// </summary>
internal static class ManyPixelsBenchmark
{
    private const int BatchSize = 1000;
    private const int PixelsPerBatch = 20;
    private const string PixelGrainType = "TikTokAds.Grains.Events.PixelGrain";
    private static readonly TimeSpan ForgetRecentAfter = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(int pixels, double seconds, int concurrency)
    {
        Console.WriteLine($"Many-pixels benchmark: {pixels:N0} pixels, one {BatchSize:N0}-event batch each, {concurrency} concurrent clients; one-pixel baseline {seconds:0.#} s before and after, same clients and batches.");
        Console.WriteLine($"  The load generator, the node, the sandbox and PostgreSQL share this machine ({Environment.ProcessorCount} cores).");
        var figures = await MeasureAsync(pixels, seconds, concurrency);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  connecting {figures.Pixels:N0} pixels took {figures.ConnectSeconds:0.0} s ({figures.Pixels / figures.ConnectSeconds:N0}/s)"));
        Report("one pixel, before", figures.OnePixelBefore);
        Report($"{figures.Pixels:N0} pixels, one batch each", figures.ManyPixels);
        Report("one pixel, after", figures.OnePixelAfter);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio {figures.Pixels:N0}-pixel events/s / one-pixel events/s (mean of before and after): {figures.Ratio:0.000} (goal >= 0.8)"));
        Memory("idle pixel, connected, no events yet", figures.Connected);
        Memory("pixel just after its batch was delivered", figures.JustDelivered);
        Memory($"idle pixel, {ForgetRecentAfter.TotalMinutes:0} min after its batch was delivered", figures.Idle);
        return 0;
    }

    public static async Task<ManyPixelsFigures> MeasureAsync(int pixels, double seconds, int concurrency)
    {
        await using var cluster = await BenchCluster.StartAsync(postgres: true, sandboxRequestsPerSecond: 100_000, eventsPerDay: 100_000_000);
        using var stop = new CancellationTokenSource();
        // The sandbox keeps every event body it receives; millions of them would not fit in memory.
        var forget = ForgetSandboxEventsAsync(cluster, stop.Token);
        var ids = 1_000_000_000L;
        Task<int> Post(HttpClient client, string pixelId) => PostBatchAsync(client, BenchCluster.BatchBody(Interlocked.Add(ref ids, BatchSize), BatchSize, pixelId));

        var duration = TimeSpan.FromSeconds(seconds);
        var warmed = await JitWarmUp.RunAsync(JitWarmUp.FromMetrics(cluster.Client), d => Load.RunAsync(d, concurrency, _ => Post(cluster.Client, cluster.Pixel)),
            minimum: TimeSpan.FromSeconds(10), maximum: TimeSpan.FromSeconds(120));
        Console.WriteLine($"  node: {warmed}");
        var before = await OnePixelRoundAsync(cluster, "before", duration, concurrency, _ => Post(cluster.Client, cluster.Pixel));
        await DrainAsync(cluster);
        var start = await SnapshotAsync(cluster, "start");

        var clock = Stopwatch.StartNew();
        var connected = await cluster.ConnectPixelsAsync(pixels, perOrganizer: 100, parallelism: 16, eventsPerDay: 100_000_000);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  connected {pixels:N0} pixels in {connectSeconds:0.0} s"));
        var idle = await SnapshotAsync(cluster, "connected");

        // Users spread over the pixels: each 1,000-event request is one organizer's, 50 events for each of 20 of its
        // pixels, and a shuffled round of requests covers every pixel once (10,000 pixels: 500 requests, 500,000 events).
        var order = connected.GroupBy(p => p.Client).SelectMany(o => o.Chunk(PixelsPerBatch)).ToArray();
        new Random(14).Shuffle(order);
        await using var window = await NodeWindow.StartAsync(cluster.Node.ProcessId, () => GcTotals.ReadAsync(cluster.Client));
        var many = await OneRoundAsync(order, concurrency, group => PostBatchAsync(group[0].Client,
            MixedBatchBody(Interlocked.Add(ref ids, BatchSize), [.. group.Select(p => p.PixelId)], BatchSize / PixelsPerBatch), group.Length * (BatchSize / PixelsPerBatch)));
        var cpu = await window.StopAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {pixels:N0} pixels received their batches in {many.Seconds:0.0} s; waiting for delivery"));
        Console.WriteLine($"    {cpu.PerUnit(many.Operations * (double)BatchSize, "event")}");
        Console.WriteLine($"    {cpu.Collector(many.Operations * (double)BatchSize, "event")}");
        await DrainAsync(cluster);
        var deliveredAt = clock.Elapsed;
        var delivered = await SnapshotAsync(cluster, "delivered");
        // Pixels:ForgetRecentAfter, the product's default: then an idle pixel drops the event ids it remembers.
        var wait = ForgetRecentAfter + TimeSpan.FromSeconds(10) - (clock.Elapsed - deliveredAt);
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var forgotten = await SnapshotAsync(cluster, "idle");

        // The waits above leave the machine idle for minutes. Where the kernel pages out memory nobody touched for a
        // while (this machine's DAMON scheme does after about a minute), PostgreSQL's files and the processes' cold code
        // are gone from memory. A discarded round under the same load brings them back, as the warm-up did before the
        // first round; the measured round then sees the grown tables, not an empty page cache.
        await OnePixelRoundAsync(cluster, "after, warming again (discarded)", duration, concurrency, _ => Post(cluster.Client, cluster.Pixel));
        var after = await OnePixelRoundAsync(cluster, "after", duration, concurrency, _ => Post(cluster.Client, cluster.Pixel));
        await stop.CancelAsync();
        await forget;
        return new ManyPixelsFigures(pixels, connectSeconds, before, many, after, PerActivation(start, idle), PerActivation(start, delivered), PerActivation(start, forgotten));
    }

    /// <summary>
    /// A one-pixel round with what it cost: CPU per event by process, and the node's collections in the round (its
    /// pauses stop the node's every thread; the round after the burst runs with 10,000 pixels' state on the heap).
    /// </summary>
    private static async Task<LoadResult> OnePixelRoundAsync(BenchCluster cluster, string label, TimeSpan duration, int concurrency, Func<int, Task<int>> post)
    {
        // The meters start after the load's own warm-up batches, which its figure does not count.
        var (result, cpu) = await CpuMeter.RunAsync(cluster.Node.ProcessId, duration, concurrency, post, () => GcTotals.ReadAsync(cluster.Client));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  one pixel, {label}: {result.PerSecond * BatchSize:N0} events/s"));
        Console.WriteLine($"    {cpu.PerUnit(result.Operations * (double)BatchSize, "event")}");
        Console.WriteLine($"    {cpu.Collector(result.Operations * (double)BatchSize, "event")}");
        return result;
    }

    /// <summary>Every item of <paramref name="order"/> is posted once; <paramref name="concurrency"/> clients take the next as they finish.</summary>
    private static async Task<LoadResult> OneRoundAsync<T>(T[] order, int concurrency, Func<T, Task<int>> post)
    {
        var next = -1;
        var latencies = new double[order.Length];
        var startedAt = Load.Now;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < order.Length; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                await post(order[i]);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(order.Length, elapsed, order.Length / elapsed, latencies[latencies.Length / 2], latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))], startedAt);
    }

    /// <summary>One request of <paramref name="perPixel"/> events for each of <paramref name="pixelIds"/> (one organizer's).</summary>
    private static byte[] MixedBatchBody(long first, IReadOnlyList<string> pixelIds, int perPixel)
        => System.Text.Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject
        {
            ["events"] = new System.Text.Json.Nodes.JsonArray([.. pixelIds.SelectMany((pixel, p) => Enumerable.Range(0, perPixel).Select(k =>
            {
                var e = BenchCluster.Event(first + (p * perPixel) + k);
                e["pixel_id"] = pixel;
                return (System.Text.Json.Nodes.JsonNode)e;
            }))]),
        }.ToJsonString());

    /// <summary>Posts one batch; anything but 202 with every event accepted stops the run.</summary>
    private static async Task<int> PostBatchAsync(HttpClient client, byte[] body, int expected = BatchSize)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri("/api/integrations/tiktok-ads/events/batch", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The batch was answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        }
        using var answer = JsonDocument.Parse(text);
        var accepted = answer.RootElement.GetProperty("accepted").GetInt32();
        return accepted == expected ? 0 : throw new InvalidOperationException($"Only {accepted} of {expected} events were accepted: {text[..Math.Min(text.Length, 500)]}");
    }

    /// <summary>Waits until no event waits for TikTok, then a little longer for the pixels to switch their reminders off.</summary>
    private static async Task DrainAsync(BenchCluster cluster)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Postgres!);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM pixel_pending p JOIN pixel_events e ON e.pixel_key = p.pixel_key AND e.seq = p.seq WHERE e.status = 'accepted'");
            if ((long)(await count.ExecuteScalarAsync())! == 0)
            {
                break;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(15))
            {
                throw new TimeoutException("Events still wait for TikTok after 15 minutes.");
            }
            await Task.Delay(1000);
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
    }

    private static async Task<HeapSnapshot?> SnapshotAsync(BenchCluster cluster, string label)
    {
        var clock = Stopwatch.StartNew();
        var snapshot = await HeapSnapshot.TakeAsync(cluster.Node.ProcessId, label);
        if (snapshot is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  heap ({label}): {snapshot.Bytes:N0} B live in {snapshot.Objects:N0} objects ({snapshot.Source}; {clock.Elapsed.TotalSeconds:0.0} s)"));
            var grains = snapshot.Types.Where(t => t.Key.StartsWith("TikTokAds.Grains.", StringComparison.Ordinal) && t.Key.EndsWith("Grain", StringComparison.Ordinal))
                .OrderByDescending(t => t.Value.Count).Select(t => $"{t.Key[(t.Key.LastIndexOf('.') + 1)..]} {t.Value.Count:N0}");
            await using var dataSource = NpgsqlDataSource.Create(cluster.Postgres!);
            await using var reminders = dataSource.CreateCommand("SELECT count(*) FROM orleans_reminders");
            Console.WriteLine($"    activations: {string.Join(", ", grains)}; reminder rows: {await reminders.ExecuteScalarAsync():N0}");
        }
        return snapshot;
    }

    private static IdleMemory? PerActivation(HeapSnapshot? start, HeapSnapshot? end)
    {
        if (start is null || end is null)
        {
            return null;
        }
        var activations = end.CountOf(PixelGrainType) - start.CountOf(PixelGrainType);
        return activations <= 0 ? null : new IdleMemory(activations, (double)(end.Bytes - start.Bytes) / activations, [.. end.GrowthSince(start).Take(20)]);
    }

    private static async Task ForgetSandboxEventsAsync(BenchCluster cluster, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                cluster.Sandbox.State.Events.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Report(string name, LoadResult result)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-40} {result.PerSecond * BatchSize,10:N0} events/s  ({result.Operations:N0} batches in {result.Seconds:0.0} s)  p50 {result.P50Ms,8:0} ms  p99 {result.P99Ms,8:0} ms"));

    private static void Memory(string name, IdleMemory? memory)
    {
        if (memory is null)
        {
            Console.WriteLine(HeapSnapshot.GcDump is null
                ? $"  {name}: not measured; dotnet-gcdump is not installed (dotnet tool install -g dotnet-gcdump)"
                : $"  {name}: not measured; no new pixel activations between the snapshots");
            return;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {memory.BytesPerActivation:N0} B per activation over {memory.Activations:N0} activations (goal <= 16,384 B); live heap growth by type, per activation:"));
        foreach (var (type, bytes, count) in memory.Growth)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {(double)bytes / memory.Activations,10:N1} B {(double)count / memory.Activations,8:N2} objects  {type}"));
        }
    }
}
