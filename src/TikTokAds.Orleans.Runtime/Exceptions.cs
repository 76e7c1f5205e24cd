namespace TikTokAds.Orleans.Runtime;

/// <summary>A state write found a different version stored than the one this activation read.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException() { }
    public InconsistentStateException(string message) : base(message) { }
    public InconsistentStateException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A grain call did not complete within the configured call timeout.</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException() { }
    public GrainCallTimeoutException(string message) : base(message) { }
    public GrainCallTimeoutException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>No node could take the call: the cluster has no live owner for the grain, or this node stopped serving.</summary>
public sealed class ClusterUnavailableException : Exception
{
    public ClusterUnavailableException() { }
    public ClusterUnavailableException(string message) : base(message) { }
    public ClusterUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A grain on another node threw. The original type name and message are kept.</summary>
public sealed class RemoteGrainException : Exception
{
    public RemoteGrainException() { }
    public RemoteGrainException(string message) : base(message) { }
    public RemoteGrainException(string message, Exception inner) : base(message, inner) { }

    public RemoteGrainException(string exceptionType, string message, string nodeId)
        : base($"{exceptionType} on node {nodeId}: {message}")
    {
        ExceptionType = exceptionType;
        RemoteMessage = message;
    }

    public string ExceptionType { get; } = "";
    public string RemoteMessage { get; } = "";
}
