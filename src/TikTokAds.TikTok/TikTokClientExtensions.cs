using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.TikTok.Internal;

namespace TikTokAds.TikTok;

public static class TikTokClientExtensions
{
    /// <summary>
    /// Registers <see cref="TikTokBusinessClient"/> as a typed HttpClient (pooled handlers from the factory),
    /// configured from section "TikTok". Retries, timeouts and the circuit breaker are Polly's, per token.
    /// </summary>
    public static IServiceCollection AddTikTokClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TikTokOptions>().Bind(builder.Configuration.GetSection(TikTokOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<TikTokPipelines>();
        services.AddSingleton<TikTokMetrics>();
        services.AddHttpClient<TikTokBusinessClient>((sp, http) =>
            {
                var baseUrl = sp.GetRequiredService<IOptions<TikTokOptions>>().Value.BaseUrl;
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                // Timeouts are per attempt (Polly), so the client itself never times out first.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256 })
            .AddTypedClient((http, sp) => new TikTokBusinessClient(
                http, sp.GetRequiredService<TikTokPipelines>(), sp.GetRequiredService<TikTokMetrics>(), sp.GetRequiredService<ILogger<TikTokBusinessClient>>(),
                sp.GetRequiredService<IOptions<TikTokOptions>>().Value.PartnerName));
        return services;
    }
}
