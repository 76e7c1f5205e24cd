namespace TikTokAds.CodecCheck;

/// <summary>Takes a message Orleans cannot serialize: a node that loads this assembly must not start.</summary>
public interface IUncodedGrain : IGrainWithStringKey
{
    Task<int> CountAsync(UncodedMessage message);
}
