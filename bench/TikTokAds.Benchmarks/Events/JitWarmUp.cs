using System.Diagnostics;
using System.Globalization;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// Warms a process under load until its JIT has gone quiet. A node reaches about 14,000 methods at start-up
/// and the tiered JIT recompiles the hot ones while load runs: with a fixed 5 s warm-up, the JIT still took
/// 0.3-0.8 of a core through the whole measurement, and the node's CPU per request read three to four times its
/// steady figure. Every figure is taken once its process compiles almost nothing.
/// </summary>
internal static class JitWarmUp
{
    /// <summary>A round in which the JIT took less than this share of one core counts as quiet.</summary>
    public const double QuietShare = 0.01;

    private static readonly TimeSpan Round = TimeSpan.FromSeconds(5);
    private const string MetricName = "dotnet_jit_compilation_time_seconds_total";

    /// <summary>The node's JIT time so far, from OpenTelemetry's runtime meter on its /metrics.</summary>
    public static Func<Task<double>> FromMetrics(HttpClient http) => async () =>
    {
        var text = await http.GetStringAsync("/metrics");
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(MetricName, StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/metrics has no {MetricName}");
    };

    /// <summary>The bench node's JIT time so far (its /bench/jit).</summary>
    public static Func<Task<double>> FromBenchNode(HttpClient http)
        => async () => double.Parse(await http.GetStringAsync("/bench/jit"), CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs <paramref name="round"/> in 5 s rounds until one round's JIT time is under <see cref="QuietShare"/> of
    /// one core, for at least <paramref name="minimum"/> and at most <paramref name="maximum"/>.
    /// </summary>
    public static async Task<WarmedUp> RunAsync(Func<Task<double>> jitSeconds, Func<TimeSpan, Task> round, TimeSpan minimum, TimeSpan maximum)
    {
        var clock = Stopwatch.StartNew();
        var total = await jitSeconds();
        double share;
        do
        {
            var before = await jitSeconds();
            var started = clock.Elapsed;
            await round(Round);
            share = (await jitSeconds() - before) / (clock.Elapsed - started).TotalSeconds;
        }
        while (clock.Elapsed < maximum && (clock.Elapsed < minimum || share >= QuietShare));
        return new(clock.Elapsed, await jitSeconds() - total, share);
    }

    /// <summary>The JIT's share of one core while <paramref name="measured"/> ran.</summary>
    public static async Task<(T Result, double JitShare)> WatchAsync<T>(Func<Task<double>> jitSeconds, Func<Task<T>> measured)
    {
        var before = await jitSeconds();
        var clock = Stopwatch.StartNew();
        var result = await measured();
        return (result, (await jitSeconds() - before) / clock.Elapsed.TotalSeconds);
    }
}

/// <param name="Took">How long the warm-up ran.</param>
/// <param name="JitSeconds">JIT time during the warm-up.</param>
/// <param name="LastRoundShare">The JIT's share of one core in the last round.</param>
internal sealed record WarmedUp(TimeSpan Took, double JitSeconds, double LastRoundShare)
{
    public bool Quiet => LastRoundShare < JitWarmUp.QuietShare;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"warm-up {Took.TotalSeconds:0} s under the same load ({JitSeconds:0.0} s of JIT), {(Quiet ? "until" : "stopped at its limit before")} the JIT took under {JitWarmUp.QuietShare:P0} of a core ({LastRoundShare:P1} in the last 5 s)");
}
