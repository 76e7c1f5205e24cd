namespace TikTokAds.Node.Dashboard;

/// <summary>One 2-second sample of this node: rates over the interval, and what it holds now.</summary>
public sealed record NodeSample(DateTimeOffset At, double CallsPerSecond, double ErrorRate, double AvgMs, double P99Ms, double CpuPercent, double MemoryMb, long Activations);

public sealed record MethodReport(string GrainType, string Method, long Calls, long Failures, double MeanMs, double P99Ms);

public sealed record ProblemReport(DateTimeOffset At, string Level, string Category, string Message);

/// <summary>What one node reports to the dashboard.</summary>
public sealed record NodeReport(
    string NodeId,
    string Address,
    string Mode,
    DateTimeOffset StartedAt,
    IReadOnlyDictionary<string, long> Activations,
    IReadOnlyList<MethodReport> Methods,
    IReadOnlyList<NodeSample> Samples,
    IReadOnlyList<ProblemReport> Problems);
