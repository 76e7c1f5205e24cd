namespace TikTokAds.CodecCheck;

public sealed class UncodedGrain : Grain, IUncodedGrain
{
    public Task<int> CountAsync(UncodedMessage message) => Task.FromResult(message.Value);
}
