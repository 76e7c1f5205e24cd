using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TikTokAds.Runtime.Hosting;
using TikTokAds.Runtime.TestNode.Grains;

namespace TikTokAds.Runtime.TestNode;

/// <summary>Builds the test node, in this process or as its own executable.</summary>
public static class TestNodeHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddActorRuntime()
            .AddGrain<ICounterGrain, CounterGrain>()
            .AddGrain<IProbeGrain, ProbeGrain>()
            .AddJsonResolver(TestGrainJsonContext.Default);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, TestGrainJsonContext.Default));

        var app = builder.Build();
        app.MapActorRuntime();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        var probe = app.MapGroup("/test/probe/{key}");
        probe.MapGet("/where", (string key, IGrainFactory grains) => grains.GetGrain<IProbeGrain>(key).WhereAsync());
        probe.MapPost("/value/{value:long}", (string key, long value, IGrainFactory grains) => grains.GetGrain<IProbeGrain>(key).SetValueAsync(value));
        probe.MapGet("/state", (string key, IGrainFactory grains) => grains.GetGrain<IProbeGrain>(key).GetStateAsync());
        probe.MapPost("/reminder/{ms:int}", (string key, int ms, IGrainFactory grains) => grains.GetGrain<IProbeGrain>(key).StartReminderAsync(TimeSpan.FromMilliseconds(ms)));
        app.MapGet("/test/activations", (IGrainRuntimeInfo runtime) =>
            runtime.GetLocalActivations().Where(g => g.Type == "probe").Select(g => g.Key).ToList());
        app.MapGet("/test/node", (IGrainRuntimeInfo runtime) => runtime.NodeId);
        app.MapGet("/test/view", (IGrainRuntimeInfo runtime) => runtime.Membership.View.Nodes.Select(n => n.NodeId).ToList());
        return app;
    }
}
