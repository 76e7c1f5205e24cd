using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace TikTokAds.Runtime.Hosting;

/// <summary>Ready when the node has joined and serves calls, and (when clustered) the database answers.</summary>
internal sealed class ActorRuntimeHealthCheck(IGrainRuntimeInfo runtime, RuntimeMode mode, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!runtime.IsServing)
        {
            return HealthCheckResult.Unhealthy($"Node {runtime.NodeId} is not serving (starting, stopping, or declared dead).");
        }
        if (mode.IsClustered)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await using var command = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", ex);
            }
        }
        return HealthCheckResult.Healthy($"Node {runtime.NodeId} serving ({mode.Name}), {runtime.Membership.View.Nodes.Count} live node(s).");
    }
}
