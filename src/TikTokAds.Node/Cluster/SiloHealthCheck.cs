using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace TikTokAds.Node.Cluster;

/// <summary>Ready: this silo is an active member of the cluster and, when clustered, PostgreSQL answers.</summary>
internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"The silo is {status}, not an active member of the cluster.");
        }
        if (services.GetService<NpgsqlDataSource>() is { } database)
        {
            try
            {
                await using var command = database.CreateCommand("SELECT 1");
                command.CommandTimeout = 2;
                await command.ExecuteScalarAsync(cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", ex);
            }
        }
        return HealthCheckResult.Healthy($"Active member {silo.SiloAddress}.");
    }
}
