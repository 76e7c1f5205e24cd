namespace TikTokAds.Benchmarks.Cluster;

/// <summary>The small message every measured call carries there and back (about the size of one event's key fields).</summary>
[GenerateSerializer, Immutable]
public sealed record EchoPayload(long Sequence, string Key, double Value)
{
    public static EchoPayload Sample(long sequence) => new(sequence, "org_bench/BENCHPIXEL/purchase", 59.9);
}
