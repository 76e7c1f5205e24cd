using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using TikTokAds.Runtime;
using TikTokAds.Runtime.Hosting;
using TikTokAds.Runtime.Membership;

namespace TikTokAds.Benchmarks.Runtime;

/// <summary>A node with the bench grain and endpoints that run a measurement loop from inside the node.</summary>
public static class BenchNode
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddActorRuntime().AddGrain<IBenchGrain, BenchGrain>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BenchJsonContext.Default));
        var app = builder.Build();
        app.MapActorRuntime();
        app.MapGet("/health/ready", (IGrainRuntimeInfo runtime) => runtime.IsServing && runtime.Membership.View.Nodes.Count > 0 ? Results.Ok() : Results.StatusCode(503));
        app.MapGet("/bench/view", (IGrainRuntimeInfo runtime) => runtime.Membership.View.Nodes.Count);
        app.MapPost("/bench/noop", async (HttpRequest request) =>
        {
            // Reads the body like a real endpoint would, then does nothing with it.
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Accepted();
        });
        app.MapPost("/bench/echo", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            return Results.Bytes(body.ToArray(), "application/json");
        });
        app.MapPost("/bench/cross", (double seconds, int concurrency, IGrainFactory grains, IGrainRuntimeInfo runtime) =>
        {
            // Keys this node does not own: every call is one signed hop to the other node.
            var remoteKeys = Enumerable.Range(0, 100_000).Select(i => $"bench-{i}")
                .Where(k => RendezvousPlacement.SelectOwner(new GrainId("bench", k), runtime.Membership.View.Nodes)!.NodeId != runtime.NodeId)
                .Take(concurrency * 4).Select(grains.GetGrain<IBenchGrain>).ToArray();
            return Load.RunAsync(TimeSpan.FromSeconds(seconds), concurrency, i => remoteKeys[i % remoteKeys.Length].PingAsync(i));
        });
        app.MapPost("/bench/http", async (double seconds, int concurrency, [FromQuery] string target, IGrainRuntimeInfo runtime) =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false }) { BaseAddress = new Uri(target) };
            // About the size of a grain call envelope.
            var body = """{"grain":"bench","key":"bench-12345","method":"PingAsync","args":[12345]}"""u8.ToArray();
            return await Load.RunAsync(TimeSpan.FromSeconds(seconds), concurrency, async _ =>
            {
                using var content = new ByteArrayContent(body);
                using var response = await http.PostAsync(new Uri("/bench/echo", UriKind.Relative), content);
                await response.Content.ReadAsByteArrayAsync();
                return 0;
            });
        });
        return app;
    }
}

[JsonSerializable(typeof(LoadResult))]
[JsonSerializable(typeof(int))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
