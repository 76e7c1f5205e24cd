namespace TikTokAds.Benchmarks.Cluster;

/// <summary>The baseline: the same echo as a plain async method, no runtime in between.</summary>
public sealed class PlainTarget
{
    public Task<EchoPayload> EchoAsync(EchoPayload payload) => Task.FromResult(payload);
}
