namespace TikTokAds.Runtime;

/// <summary>Hands out location-transparent references to grains.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain; it is activated on its first call, on whichever node owns it.</summary>
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;
}
