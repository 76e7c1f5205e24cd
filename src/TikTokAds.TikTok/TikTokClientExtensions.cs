using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;
using TikTokAds.TikTok.Internal;

namespace TikTokAds.TikTok;

public static class TikTokClientExtensions
{
    /// <summary>Registers <see cref="TikTokBusinessClient"/> over one pooled HttpClient, configured from section "TikTok".</summary>
    public static IServiceCollection AddTikTokClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TikTokOptions>().Bind(builder.Configuration.GetSection(TikTokOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<TikTokPipelines>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TikTokOptions>>().Value;
            var baseUrl = options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/";
            // Timeouts are per attempt (Polly), so the client itself never times out first.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256 })
            {
                BaseAddress = new Uri(baseUrl),
                Timeout = Timeout.InfiniteTimeSpan,
            };
            return new TikTokBusinessClient(http, sp.GetRequiredService<TikTokPipelines>(), sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<ILogger<TikTokBusinessClient>>(), options.PartnerName);
        });
        return services;
    }
}
