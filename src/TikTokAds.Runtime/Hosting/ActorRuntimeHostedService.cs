using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TikTokAds.Runtime.Internal;

namespace TikTokAds.Runtime.Hosting;

/// <summary>
/// Node lifecycle. Start: migrate, then (once the web server listens) join and run the loops.
/// Stop, before the web server closes: leave the routing view, deactivate every grain (so each can
/// flush), then leave membership.
/// </summary>
internal sealed class ActorRuntimeHostedService(
    GrainRuntime runtime,
    RuntimeMode mode,
    IOptions<ClusterOptions> clusterOptions,
    IServiceProvider services) : IHostedLifecycleService
{
    private readonly CancellationTokenSource _loops = new();
    private readonly List<Task> _running = [];

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (mode.IsClustered)
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var address = AdvertisedAddress();
        await runtime.Membership.JoinAsync(address, cancellationToken);
        _running.Add(Task.Run(() => runtime.Membership.RunAsync(_loops.Token), CancellationToken.None));
        _running.Add(Task.Run(() => runtime.Reminders.RunAsync(_loops.Token), CancellationToken.None));
        _running.Add(Task.Run(() => CollectIdleAsync(_loops.Token), CancellationToken.None));
        RuntimeLog.NodeStarted(runtime.Logger, runtime.NodeId, mode.Name, address);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        RuntimeLog.NodeStopping(runtime.Logger, runtime.NodeId, runtime.Catalog.Count);
        await IgnoreDatabaseErrors(() => runtime.Membership.BeginLeaveAsync(cancellationToken));
        await runtime.DeactivateAllAsync();
        await IgnoreDatabaseErrors(() => runtime.Membership.CompleteLeaveAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _loops.CancelAsync();
        runtime.Stop();
        await Task.WhenAll(_running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task CollectIdleAsync(CancellationToken cancellationToken)
    {
        var idle = runtime.Options.IdleTimeout;
        using var timer = new PeriodicTimer(runtime.Options.CollectionInterval, runtime.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                _ = runtime.Catalog.DeactivateAsync(a => a.IsIdle(idle), DeactivationReason.IdleTimeout);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private string AdvertisedAddress()
    {
        if (clusterOptions.Value.AdvertisedUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }
        return ListeningAddress.FirstDialable(services.GetService<IServer>()) ?? "http://localhost";
    }

    private static async Task IgnoreDatabaseErrors(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or OperationCanceledException)
        {
            // Leaving is best effort: if the database is away, the others declare this node dead instead.
        }
    }
}
