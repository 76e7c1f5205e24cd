namespace TikTokAds.Runtime.Internal;

internal sealed class GrainFactory(GrainRuntime runtime) : IGrainFactory
{
    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var type = runtime.Registry.Get(typeof(TGrain));
        return GrainReference.Create<TGrain>(runtime, type, new GrainId(type.Name, key));
    }
}
