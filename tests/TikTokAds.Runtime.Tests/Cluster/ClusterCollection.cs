namespace TikTokAds.Runtime.Tests.Cluster;

/// <summary>Multi-process tests run one at a time: each starts several nodes on a two-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
