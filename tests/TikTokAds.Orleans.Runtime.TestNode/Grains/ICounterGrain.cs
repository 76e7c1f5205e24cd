using TikTokAds.Orleans.Runtime;

namespace TikTokAds.Orleans.Runtime.TestNode.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Read, yield, write: loses updates unless turns never interleave.</summary>
    Task<int> IncrementNonAtomicallyAsync();

    Task<int> GetAsync();

    /// <summary>Calls itself: a non-reentrant grain deadlocks here until the call timeout.</summary>
    Task<int> CallSelfAsync();
}
