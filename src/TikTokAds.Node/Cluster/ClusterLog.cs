namespace TikTokAds.Node.Cluster;

/// <summary>Cluster hosting log messages. Event ids 2000–2999.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(2001, LogLevel.Information, "Orleans silo started: {Mode}, silo {SiloAddress}, cluster {ClusterId}, service {ServiceId}")]
    public static partial void SiloStarted(ILogger logger, string mode, string siloAddress, string clusterId, string serviceId);

    [LoggerMessage(2002, LogLevel.Warning, "Cluster:AdvertisedAddress is not set: this silo advertises 127.0.0.1, so only nodes on this machine can reach it")]
    public static partial void LoopbackAdvertised(ILogger logger);

    [LoggerMessage(2003, LogLevel.Critical, "Cluster:AllowPlaintext is set: traffic between nodes is NOT encrypted or authenticated. Anyone who reaches the silo port can join the cluster. Use Cluster:CertificatePath outside a private network you trust")]
    public static partial void PlaintextCluster(ILogger logger);

    [LoggerMessage(2004, LogLevel.Information, "Traffic between nodes is mutual TLS with the cluster certificate {Thumbprint}")]
    public static partial void ClusterTls(ILogger logger, string thumbprint);

    [LoggerMessage(2040, LogLevel.Information, "Applied migration {Migration}")]
    public static partial void MigrationApplied(ILogger logger, string migration);

    [LoggerMessage(2041, LogLevel.Warning, "Database not reachable yet (attempt {Attempt}); retrying")]
    public static partial void WaitingForDatabase(ILogger logger, Exception exception, int attempt);
}
