namespace TikTokAds.Benchmarks.Cluster;

public interface IBenchGrain : IGrainWithStringKey
{
    Task<EchoPayload> EchoAsync(EchoPayload payload);

    /// <summary>The silo the activation lives on, so the caller can keep only grains on the other silo.</summary>
    Task<string> SiloAsync();
}
