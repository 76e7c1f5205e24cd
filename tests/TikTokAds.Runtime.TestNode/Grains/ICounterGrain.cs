using TikTokAds.Runtime;

namespace TikTokAds.Runtime.TestNode.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Read, yield, write: loses updates unless turns never interleave.</summary>
    Task<int> IncrementNonAtomicallyAsync();

    Task<int> GetAsync();

    /// <summary>Calls itself: a non-reentrant grain deadlocks here until the call timeout.</summary>
    Task<int> CallSelfAsync();

    /// <summary>Starts a timer whose every tick does the same non-atomic increment as a call.</summary>
    Task StartTickingAsync(TimeSpan period);

    Task<int> StopTickingAsync();
}
