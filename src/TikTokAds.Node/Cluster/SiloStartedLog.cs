using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace TikTokAds.Node.Cluster;

/// <summary>Says once, when the silo is active, what it runs on: the line an operator looks for.</summary>
internal sealed class SiloStartedLog(ILocalSiloDetails silo, IOptions<ClusterOptions> cluster, IOptions<ClusterNodeOptions> node, IServiceProvider services, ILogger<SiloStartedLog> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SiloStartedLog), ServiceLifecycleStage.Active, _ =>
    {
        var mode = services.GetService<Npgsql.NpgsqlDataSource>() is null ? "embedded (memory storage and reminders, one silo)" : "clustered (PostgreSQL clustering, storage and reminders)";
        ClusterLog.SiloStarted(logger, mode, silo.SiloAddress.ToString(), cluster.Value.ClusterId, cluster.Value.ServiceId);
        if (services.GetService<Npgsql.NpgsqlDataSource>() is not null)
        {
            if (node.Value.CertificatePath is { } path)
            {
                using var certificate = ClusterCertificate.Load(path, node.Value.CertificatePassword);
                ClusterLog.ClusterTls(logger, certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
            }
            else
            {
                ClusterLog.PlaintextCluster(logger);
            }
        }
        return Task.CompletedTask;
    });
}
