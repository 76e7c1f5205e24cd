namespace TikTokAds.Runtime;

/// <summary>No node could take the call: the cluster has no live owner for the grain, or this node stopped serving.</summary>
public sealed class ClusterUnavailableException : Exception
{
    public ClusterUnavailableException() { }
    public ClusterUnavailableException(string message) : base(message) { }
    public ClusterUnavailableException(string message, Exception inner) : base(message, inner) { }
}
