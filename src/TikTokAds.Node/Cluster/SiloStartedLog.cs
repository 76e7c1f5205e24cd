using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace TikTokAds.Node.Cluster;

/// <summary>Says once, when the silo is active, what it runs on: the line an operator looks for.</summary>
internal sealed class SiloStartedLog(ILocalSiloDetails silo, IOptions<ClusterOptions> cluster, IServiceProvider services, ILogger<SiloStartedLog> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SiloStartedLog), ServiceLifecycleStage.Active, _ =>
    {
        var mode = services.GetService<Npgsql.NpgsqlDataSource>() is null ? "embedded (memory storage and reminders, one silo)" : "clustered (PostgreSQL clustering, storage and reminders)";
        ClusterLog.SiloStarted(logger, mode, silo.SiloAddress.ToString(), cluster.Value.ClusterId, cluster.Value.ServiceId);
        return Task.CompletedTask;
    });
}
