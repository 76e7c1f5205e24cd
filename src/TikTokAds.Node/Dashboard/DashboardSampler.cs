using System.Diagnostics;
using TikTokAds.Runtime.Hosting;

namespace TikTokAds.Node.Dashboard;

/// <summary>
/// Samples this node every 2 s into a 15-minute ring: the runtime's cumulative counters turned into
/// rates, plus CPU and memory. Reading costs one snapshot; nothing is sent anywhere.
/// </summary>
internal sealed class DashboardSampler(IGrainRuntimeInfo runtime, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private const int Capacity = 450;
    private readonly Lock _lock = new();
    private readonly Queue<NodeSample> _samples = new();

    public IReadOnlyList<NodeSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var process = Process.GetCurrentProcess();
        var previous = runtime.GetStatistics();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            process.Refresh();
            var current = runtime.GetStatistics();
            var seconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var calls = current.Methods.Sum(m => m.Calls) - previous.Methods.Sum(m => m.Calls);
            var failures = current.Methods.Sum(m => m.Failures) - previous.Methods.Sum(m => m.Failures);
            var totalMs = current.Methods.Sum(m => m.MeanMs * m.Calls) - previous.Methods.Sum(m => m.MeanMs * m.Calls);
            // The slowest method among those called in the interval (its p99 since start): cheap and honest enough.
            var active = current.Methods.Where(m => previous.Methods.FirstOrDefault(p => p.GrainType == m.GrainType && p.Method == m.Method)?.Calls != m.Calls).ToList();
            var sample = new NodeSample(
                time.GetUtcNow(),
                calls / seconds,
                calls == 0 ? 0 : (double)failures / calls,
                calls == 0 ? 0 : totalMs / calls,
                active.Count == 0 ? 0 : active.Max(m => m.P99Ms),
                (process.TotalProcessorTime - cpu).TotalSeconds / seconds / Environment.ProcessorCount * 100,
                process.WorkingSet64 / 1024.0 / 1024.0,
                current.Activations.Sum(a => a.Count));
            cpu = process.TotalProcessorTime;
            previous = current;
            lock (_lock)
            {
                _samples.Enqueue(sample);
                while (_samples.Count > Capacity)
                {
                    _samples.Dequeue();
                }
            }
        }
    }
}
