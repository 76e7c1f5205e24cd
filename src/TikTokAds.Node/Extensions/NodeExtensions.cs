using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TikTokAds.Grains;
using TikTokAds.Node.Apis;
using TikTokAds.Node.Apis.Assurance;
using TikTokAds.Node.Apis.Audiences;
using TikTokAds.Node.Apis.Events;
using TikTokAds.Node.Apis.Leads;
using TikTokAds.Node.Apis.Segments;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Cluster;
using TikTokAds.Node.Dashboard;
using TikTokAds.Node.Gateway;
using TikTokAds.Node.Observability;
using TikTokAds.TikTok;

namespace TikTokAds.Node.Extensions;

public static class NodeExtensions
{
    public const string PublicApiPrefix = "/api/integrations/tiktok-ads";

    /// <summary>Everything a node hosts: the Orleans silo and the grains' services, the TikTok client, the gateway.</summary>
    public static IHostApplicationBuilder AddTikTokAdsNode(this IHostApplicationBuilder builder)
    {
        builder.AddTikTokAdsCluster();
        builder.Services.AddTikTokAdsGrains(builder.Configuration);
        builder.AddTikTokClient();
        builder.AddTikTokAdsTelemetry();
        if (builder.Configuration.InProcessSandboxEnabled())
        {
            builder.AddInProcessSandbox();
        }
        builder.AddGateway();
        builder.Services.AddSingleton<Dashboard.RecentProblems>();
        builder.Logging.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<Dashboard.RecentProblems>());
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Add(Dashboard.DashboardJsonContext.Default));
        builder.Services.AddOpenApi(options => options.AddOperationTransformer(Observability.SeedExamples.ApplyAsync).AddSchemaTransformer(Apis.Audiences.MemberRowsSchema.ApplyAsync));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(45));
        return builder;
    }

    public static WebApplication MapTikTokAdsNode(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestEdge>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(PublicApiPrefix + "/events"), events => events.UseMiddleware<EventBodyLimit>());
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", ReadinessResponse.Options(check => check.Tags.Contains("ready")));
        app.MapAdminApi();
        app.MapDashboard();
        app.MapGroup(PublicApiPrefix)
            .RequireAuthorization(AuthSchemes.OrganizerPolicy)
            .RequireRateLimiting(GatewayExtensions.OrganizerRateLimit)
            .WithTags("TikTok Ads")
            .MapConnectionApi()
            .MapEventsApi()
            .MapDeliveryApi()
            .MapAlertsApi()
            .MapAudiencesApi()
            .MapExclusionsApi()
            .MapOAuthApi()
            .MapLeadsApi()
            .MapSegmentsApi()
            .MapAssuranceApi();
        app.MapOAuthCallback();
        app.MapLeadWebhook();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapTikTokAdsMetrics();
        app.MapGet(SdkScript.Path, () => Results.Text(SdkScript.Source, "text/javascript; charset=utf-8"))
            .CacheOutput(p => p.Expire(TimeSpan.FromHours(1)))
            .WithSummary("First-party script: keeps ttclid from the landing URL in a 30-day cookie and reads _ttp.");
        if (app.Configuration.InProcessSandboxEnabled())
        {
            app.MapInProcessSandbox();
        }
        return app;
    }
}
