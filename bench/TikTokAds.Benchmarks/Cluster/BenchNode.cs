using System.Net;
using Microsoft.AspNetCore.Mvc;
using Orleans.Serialization;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks.Cluster;

/// <summary>
/// The child process the suites start (`bench node`): an ASP.NET app co-hosting an Orleans silo, as the
/// real node does, but with only the bench grain's work in it. It serves the ingest suite's no-op
/// endpoint, and runs the cluster suite's measurement loops from inside the silo.
/// </summary>
public static class BenchNode
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Noise in the printed figures: the silo's server-GC advice (bench processes run workstation GC on
        // purpose, as NodeProcess does), and the watchdog's first check, which reports the machine's uptime as a stall.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        var configuration = builder.Configuration;
        var siloPort = configuration.GetValue<int?>("Cluster:SiloPort") ?? FreePort.Next();
        var gatewayPort = configuration.GetValue<int?>("Cluster:GatewayPort") ?? FreePort.Next();
        var primary = configuration.GetValue<int?>("Bench:PrimarySiloPort");
        builder.UseOrleans(silo =>
        {
            if (primary is { } primaryPort)
            {
                // Two processes, one cluster: membership lives on the primary silo, so no database is on the path.
                silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, primaryPort));
                silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
                silo.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("bench", "bench"));
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "bench", clusterId: "bench-embedded");
            }
        });
        if (configuration.GetValue<int?>("Bench:EchoPort") is { } echoPort)
        {
            builder.Services.AddHostedService(_ => new TcpEchoServer(echoPort));
        }
        var app = builder.Build();
        app.MapGet("/health/ready", (ISiloStatusOracle silo) => silo.CurrentStatus == SiloStatus.Active ? Results.Ok() : Results.StatusCode(503));
        app.MapGet("/bench/view", (ISiloStatusOracle silo) => silo.GetApproximateSiloStatuses(onlyActive: true).Count);
        app.MapPost("/bench/noop", async (HttpRequest request) =>
        {
            // Reads and parses the body like a real endpoint would, then does nothing with it.
            using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return Results.Accepted();
        });
        // The JIT time so far, so a benchmark can warm this process until its JIT has gone quiet.
        app.MapGet("/bench/jit", () => System.Runtime.JitInfo.GetCompilationTime().TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Its collections so far, in the node's /metrics form (GcTotals.Parse), printed beside the node's.
        app.MapGet("/bench/gc", () => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"dotnet_gc_pause_time_seconds_total {GC.GetTotalPauseDuration().TotalSeconds}\n" +
            $"dotnet_gc_collections_total{{gc_heap_generation=\"gen0\"}} {GC.CollectionCount(0) - GC.CollectionCount(1)}\n" +
            $"dotnet_gc_collections_total{{gc_heap_generation=\"gen1\"}} {GC.CollectionCount(1) - GC.CollectionCount(2)}\n" +
            $"dotnet_gc_collections_total{{gc_heap_generation=\"gen2\"}} {GC.CollectionCount(2)}\n"));
        app.MapPost("/bench/cross", CrossAsync);
        app.MapPost("/bench/tcp", TcpAsync);
        app.MapPost("/bench/tcp-pipelined", TcpPipelinedAsync);
        return app;
    }

    /// <summary>Grain calls from this silo to activations that random placement put on the other one.</summary>
    private static async Task<LoadResult> CrossAsync(double seconds, double warmUp, int concurrency, IGrainFactory grains, ILocalSiloDetails local)
    {
        var here = local.SiloAddress.ToParsableString();
        var remote = new List<IBenchGrain>();
        for (var i = 0; remote.Count < concurrency * 4; i++)
        {
            var grain = grains.GetGrain<IBenchGrain>($"cross-{i}");
            if (await grain.SiloAsync() != here)
            {
                remote.Add(grain);
            }
        }
        return await Load.RunWarmAsync(TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(seconds), concurrency, async i =>
        {
            await remote[i % remote.Count].EchoAsync(EchoPayload.Sample(i));
            return 0;
        });
    }

    /// <summary>Raw loopback round trips to the other process's echo socket, carrying the payload as Orleans serialises it.</summary>
    private static async Task<LoadResult> TcpAsync(double seconds, double warmUp, int concurrency, [FromQuery] int port, Serializer serializer, CancellationToken cancellationToken)
    {
        var payload = serializer.SerializeToArray(EchoPayload.Sample(12_345));
        // As many sockets as the cross-node figure has grains. The warm-up runs operations 0 … 4×concurrency-1
        // at once, and worker w then only gets w, w + concurrency, …: no socket ever has two round trips in flight.
        var clients = await Task.WhenAll(Enumerable.Range(0, concurrency * 4).Select(_ => TcpEchoClient.ConnectAsync(port, payload, cancellationToken)));
        try
        {
            return await Load.RunWarmAsync(TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(seconds), concurrency, i => clients[i % clients.Length].RoundTripAsync());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>The same round trips, all multiplexed over one socket as Orleans multiplexes calls over one connection.</summary>
    private static async Task<LoadResult> TcpPipelinedAsync(double seconds, double warmUp, int concurrency, [FromQuery] int port, Serializer serializer, CancellationToken cancellationToken)
    {
        var payload = serializer.SerializeToArray(EchoPayload.Sample(12_345));
        var slots = concurrency * 4;
        await using var client = await TcpPipelinedClient.ConnectAsync(port, payload, slots, cancellationToken);
        return await Load.RunWarmAsync(TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(seconds), concurrency, i => client.RoundTripAsync(i % slots));
    }
}
