using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TikTokAds.Orleans.Runtime.Hosting;
using TikTokAds.Orleans.TikTok;

namespace TikTokAds.Orleans.Node.Extensions;

internal static class NodeExtensions
{
    /// <summary>Everything a node hosts: the actor runtime and its grains, and health checks.</summary>
    public static IHostApplicationBuilder AddTikTokAdsNode(this IHostApplicationBuilder builder)
    {
        builder.AddActorRuntime();
        builder.AddTikTokClient();
        if (builder.Configuration.InProcessSandboxEnabled())
        {
            builder.AddInProcessSandbox();
        }
        builder.Services.AddProblemDetails();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(45));
        return builder;
    }

    public static WebApplication MapTikTokAdsNode(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapActorRuntime();
        if (app.Configuration.InProcessSandboxEnabled())
        {
            app.MapInProcessSandbox();
        }
        return app;
    }
}
