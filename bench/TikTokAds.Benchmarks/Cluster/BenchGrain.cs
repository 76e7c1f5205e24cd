using Orleans.Placement;

namespace TikTokAds.Benchmarks.Cluster;

/// <summary>Random placement spreads activations over both silos whoever calls first; the caller picks the remote ones.</summary>
[RandomPlacement]
public sealed class BenchGrain(ILocalSiloDetails silo) : Grain, IBenchGrain
{
    public Task<EchoPayload> EchoAsync(EchoPayload payload) => Task.FromResult(payload);

    public Task<string> SiloAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());
}
