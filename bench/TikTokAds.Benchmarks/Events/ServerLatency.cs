using System.Globalization;
using System.Text.RegularExpressions;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// The node's own view of one route's latency: ASP.NET Core's <c>http.server.request.duration</c> histogram from its
/// /metrics, from the moment Kestrel has the request until the response is written. Read before and after a run, the
/// difference holds that run's requests. It leaves out what the load generator's process adds (its thread pool, its
/// garbage collections, the in-process sandbox it hosts, its timer), which the client-side figures include.
/// </summary>
internal sealed partial record ServerLatency(IReadOnlyList<(double UpperSeconds, long Count)> Buckets)
{
    /// <summary>The route's POST buckets in a /metrics text.</summary>
    public static ServerLatency Parse(string metrics, string route)
    {
        var counts = new SortedDictionary<double, long>();
        foreach (Match bucket in BucketLine().Matches(metrics))
        {
            if (bucket.Groups["labels"].Value.Contains($"http_route=\"{route}\"", StringComparison.Ordinal)
                && bucket.Groups["labels"].Value.Contains("http_request_method=\"POST\"", StringComparison.Ordinal))
            {
                var upper = bucket.Groups["le"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(bucket.Groups["le"].Value, CultureInfo.InvariantCulture);
                counts[upper] = counts.GetValueOrDefault(upper) + long.Parse(bucket.Groups["count"].Value, CultureInfo.InvariantCulture);
            }
        }
        return new ServerLatency([.. counts.Select(c => (c.Key, c.Value))]);
    }

    /// <summary>The requests between <paramref name="before"/> and this reading, bucket by bucket (cumulative).</summary>
    public ServerLatency Since(ServerLatency before)
        => new([.. Buckets.Select(b => (b.UpperSeconds, b.Count - before.Buckets.FirstOrDefault(x => x.UpperSeconds == b.UpperSeconds).Count))]);

    public long Total => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    /// <summary>The share of requests answered within <paramref name="seconds"/> (a bucket bound).</summary>
    public double ShareWithin(double seconds) => Total == 0 ? 0 : (double)Buckets.LastOrDefault(b => b.UpperSeconds <= seconds).Count / Total;

    /// <summary>The bucket the <paramref name="q"/> quantile falls in, as its bounds in milliseconds.</summary>
    public (double FromMs, double ToMs) Quantile(double q)
    {
        var lower = 0.0;
        foreach (var (upper, count) in Buckets)
        {
            if (count >= q * Total)
            {
                return (lower * 1000, upper * 1000);
            }
            lower = upper;
        }
        return (lower * 1000, double.PositiveInfinity);
    }

    public override string ToString()
    {
        var (from, to) = Quantile(0.99);
        return string.Create(CultureInfo.InvariantCulture,
            $"node's own measure (http.server.request.duration, {Total:N0} requests): {ShareWithin(0.005):P2} within 5 ms, {ShareWithin(0.01):P2} within 10 ms; p99 between {from:0.#} and {to:0.#} ms");
    }

    [GeneratedRegex(@"^http_server_request_duration_seconds_bucket\{(?<labels>[^}]*?)le=""(?<le>[^""]+)""[^}]*\}\s+(?<count>\d+)", RegexOptions.Multiline)]
    private static partial Regex BucketLine();
}

/// <summary>
/// The node's garbage collections so far, in a /metrics text (System.Runtime's dotnet.gc.pause.time and
/// dotnet.gc.collections): every thread stops for a pause, including those that would read waiting requests, which
/// <see cref="ServerLatency"/> cannot see.
/// </summary>
internal sealed partial record GcTotals(double PauseSeconds, long Gen0, long Gen1, long Gen2)
{
    public static GcTotals Parse(string metrics)
    {
        var pause = GcPause().Match(metrics) is { Success: true } p ? double.Parse(p.Groups["value"].Value, CultureInfo.InvariantCulture) : double.NaN;
        long Collections(string generation) => GcCollections().Matches(metrics).Where(m => m.Groups["gen"].Value == generation)
            .Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        return new GcTotals(pause, Collections("gen0"), Collections("gen1"), Collections("gen2"));
    }

    /// <summary>The node's totals now, read from its /metrics.</summary>
    public static async Task<GcTotals> ReadAsync(HttpClient node) => Parse(await node.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>The bench's own node's (the no-op endpoint's) totals now, from its /bench/gc.</summary>
    public static async Task<GcTotals> ReadBenchNodeAsync(HttpClient node) => Parse(await node.GetStringAsync(new Uri("/bench/gc", UriKind.Relative)));

    public GcTotals Since(GcTotals before) => new(PauseSeconds - before.PauseSeconds, Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2);

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{PauseSeconds * 1000:N0} ms paused in {Gen0} gen0, {Gen1} gen1, {Gen2} gen2");

    [GeneratedRegex(@"^dotnet_gc_pause_time_seconds_total(\{[^}]*\})?\s+(?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex GcPause();

    [GeneratedRegex(@"^dotnet_gc_collections_total\{[^}]*gc_heap_generation=""(?<gen>gen\d)""[^}]*\}\s+(?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex GcCollections();
}
