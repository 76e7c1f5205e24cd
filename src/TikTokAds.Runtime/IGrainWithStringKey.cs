namespace TikTokAds.Runtime;

/// <summary>Marks a grain interface. Grains are addressed by interface and string key.</summary>
/// <remarks>
/// Every method must return <see cref="Task"/> or <see cref="Task{TResult}"/>, have no overloads, and
/// take and return types the configured JSON resolvers know, because arguments cross nodes as JSON.
/// </remarks>
#pragma warning disable CA1040 // A marker interface mirrors Orleans' IGrainWithStringKey.
public interface IGrainWithStringKey;
#pragma warning restore CA1040
