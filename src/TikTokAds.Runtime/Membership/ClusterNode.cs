namespace TikTokAds.Runtime.Membership;

/// <summary>A live member of the cluster and the address other nodes reach it at.</summary>
public sealed record ClusterNode(string NodeId, string Address, DateTimeOffset StartedAt);
