using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TikTokAds.Grains;
using TikTokAds.Node.Auth;
using TikTokAds.TikTok;

namespace TikTokAds.Node.Observability;

internal static class TelemetryExtensions
{
    /// <summary>The meters /metrics serves: the product's, Orleans', ASP.NET Core's, HttpClient's, Npgsql's and the runtime's.</summary>
    public static readonly string[] Meters =
    [
        DomainMetrics.MeterName,
        TikTokBusinessClient.MeterName,
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "Npgsql",
        "System.Runtime",
    ];

    /// <summary>
    /// OpenTelemetry: metrics for Prometheus, and the traces that carry the platform's trace id through
    /// ASP.NET Core and grain calls to TikTok's request log (exported over OTLP when Telemetry:OtlpEndpoint is set).
    /// </summary>
    public static IHostApplicationBuilder AddTikTokAdsTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.SectionName));
        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new();
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                // Listening to these sources is what makes ASP.NET Core and Orleans create the activities.
                tracing.AddSource("Microsoft.AspNetCore", Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName)
                    .SetSampler(RequestRootSampler.ForNode());
                if (telemetry.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = endpoint);
                }
            });
        return builder;
    }

    public static WebApplication MapTikTokAdsMetrics(this WebApplication app)
    {
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (app.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()?.RequireOperatorKey == true)
        {
            metrics.RequireAuthorization(AuthSchemes.AdminPolicy);
        }
        return app;
    }
}
