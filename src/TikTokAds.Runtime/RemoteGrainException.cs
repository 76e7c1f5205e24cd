namespace TikTokAds.Runtime;

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
