using Microsoft.Extensions.Logging;
using TikTokAds.Runtime.Transport;

namespace TikTokAds.Runtime.Internal;

/// <summary>Every runtime log message. Event ids 2000–2999.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(2001, LogLevel.Error, "Activation of grain {GrainId} failed")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, string grainId);

    [LoggerMessage(2002, LogLevel.Error, "Deactivate hook of grain {GrainId} failed")]
    public static partial void DeactivationFailed(ILogger logger, Exception exception, string grainId);

    [LoggerMessage(2003, LogLevel.Debug, "Grain {GrainId} deactivated ({Reason})")]
    public static partial void Deactivated(ILogger logger, string grainId, DeactivationReason reason);

    [LoggerMessage(2004, LogLevel.Error, "Timer tick of grain {GrainId} failed")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string grainId);

    [LoggerMessage(2010, LogLevel.Debug, "Call to {GrainId} not taken by {NodeId} ({Outcome}); routing again")]
    public static partial void Rerouting(ILogger logger, string grainId, string nodeId, RemoteOutcome outcome);

    [LoggerMessage(2011, LogLevel.Warning, "Rejected a node-to-node call from {RemoteAddress} without a valid cluster signature")]
    public static partial void RejectedUnsignedCall(ILogger logger, string remoteAddress);

    [LoggerMessage(2020, LogLevel.Information, "Node {NodeId} joined the cluster at {Address}")]
    public static partial void JoinedCluster(ILogger logger, string nodeId, string address);

    [LoggerMessage(2021, LogLevel.Information, "Cluster view: {Count} live node(s): {Nodes}")]
    public static partial void ViewChanged(ILogger logger, int count, string nodes);

    [LoggerMessage(2022, LogLevel.Warning, "Declared node {NodeId} dead: no heartbeat for more than {Timeout}")]
    public static partial void DeclaredDead(ILogger logger, string nodeId, TimeSpan timeout);

    [LoggerMessage(2023, LogLevel.Critical, "This node ({NodeId}) was declared dead by the cluster; it stops serving and shuts down")]
    public static partial void SelfDeclaredDead(ILogger logger, string nodeId);

    [LoggerMessage(2024, LogLevel.Warning, "Membership heartbeat failed; keeping the last view")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(2025, LogLevel.Information, "Node {NodeId} left the cluster")]
    public static partial void LeftCluster(ILogger logger, string nodeId);

    [LoggerMessage(2030, LogLevel.Error, "Polling reminders failed")]
    public static partial void ReminderPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(2031, LogLevel.Warning, "Reminder {Name} of grain {GrainId} failed")]
    public static partial void ReminderTickFailed(ILogger logger, Exception exception, string grainId, string name);

    [LoggerMessage(2040, LogLevel.Information, "Applied migration {Migration}")]
    public static partial void MigrationApplied(ILogger logger, string migration);

    [LoggerMessage(2041, LogLevel.Warning, "Database not reachable yet (attempt {Attempt}); retrying")]
    public static partial void WaitingForDatabase(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(2050, LogLevel.Information, "Node {NodeId} serving as {Mode} at {Address}")]
    public static partial void NodeStarted(ILogger logger, string nodeId, string mode, string address);

    [LoggerMessage(2051, LogLevel.Information, "Node {NodeId} stopping: deactivating {Count} activation(s)")]
    public static partial void NodeStopping(ILogger logger, string nodeId, int count);
}
