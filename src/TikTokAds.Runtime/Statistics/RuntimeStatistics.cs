using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TikTokAds.Runtime.Internal;

namespace TikTokAds.Runtime.Statistics;

/// <summary>
/// Per grain type and method: calls, failures and latency, both as System.Diagnostics.Metrics instruments
/// and as in-process counters a dashboard reads on demand. Recording is a few interlocked adds.
/// </summary>
public sealed class RuntimeStatistics
{
    public const string MeterName = "TikTokAds.Runtime";

    private readonly ConcurrentDictionary<(string Type, string Method), MethodCounters> _methods = new();
    private readonly ConcurrentDictionary<string, long[]> _activations = new(StringComparer.Ordinal);
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public RuntimeStatistics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("tiktokads.grain.calls", "{call}", "Grain calls executed on this node, by outcome (ok, or error when the grain threw).");
        _duration = meter.CreateHistogram<double>("tiktokads.grain.call.duration", "ms", "Time from queueing a call on its activation to its completion.");
        meter.CreateObservableUpDownCounter("tiktokads.grain.activations", ObserveActivations, "{activation}", "Live activations on this node.");
    }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    internal void RecordCall(GrainMethod method, TimeSpan elapsed, bool failed)
    {
        var counters = _methods.GetOrAdd((method.GrainType, method.Name), static _ => new MethodCounters());
        counters.Record(elapsed, failed);
        var tags = new TagList { { "grain.type", method.GrainType }, { "grain.method", method.Name } };
        _duration.Record(elapsed.TotalMilliseconds, tags);
        tags.Add("outcome", failed ? "error" : "ok");
        _calls.Add(1, tags);
    }

    internal void ActivationCreated(string grainType)
        => Interlocked.Increment(ref _activations.GetOrAdd(grainType, static _ => new long[1])[0]);

    internal void ActivationRemoved(string grainType)
        => Interlocked.Decrement(ref _activations.GetOrAdd(grainType, static _ => new long[1])[0]);

    /// <summary>Totals since start; a reader derives rates from two snapshots.</summary>
    public RuntimeSnapshot GetSnapshot()
    {
        var methods = _methods
            .Select(p => p.Value.ToStats(p.Key.Type, p.Key.Method))
            .OrderBy(m => m.GrainType, StringComparer.Ordinal).ThenBy(m => m.Method, StringComparer.Ordinal)
            .ToList();
        var activations = _activations
            .Select(p => new GrainTypeActivations(p.Key, Volatile.Read(ref p.Value[0])))
            .OrderBy(a => a.GrainType, StringComparer.Ordinal)
            .ToList();
        return new RuntimeSnapshot(DateTimeOffset.UtcNow, StartedAt, activations, methods);
    }

    private IEnumerable<Measurement<long>> ObserveActivations()
        => _activations.Select(p => new Measurement<long>(Volatile.Read(ref p.Value[0]), new KeyValuePair<string, object?>("grain.type", p.Key)));
}
