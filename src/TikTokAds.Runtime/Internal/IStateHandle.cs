namespace TikTokAds.Runtime.Internal;

/// <summary>The untyped view of a persistent state the runtime needs: read it on activation.</summary>
internal interface IStateHandle
{
    Task ReadStateAsync(CancellationToken cancellationToken = default);
}
