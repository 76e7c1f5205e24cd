namespace TikTokAds.Runtime.Statistics;

public sealed record RuntimeSnapshot(
    DateTimeOffset TakenAt,
    DateTimeOffset StartedAt,
    IReadOnlyList<GrainTypeActivations> Activations,
    IReadOnlyList<MethodStats> Methods);

public sealed record GrainTypeActivations(string GrainType, long Count);

/// <summary>Totals since the node started; latencies in milliseconds, percentiles to within a factor of two.</summary>
public sealed record MethodStats(string GrainType, string Method, long Calls, long Failures, double MeanMs, double P50Ms, double P99Ms);
