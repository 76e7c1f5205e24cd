using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Audiences;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Events;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using TikTokAds.Grains.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.Runtime.Hosting;

namespace TikTokAds.Grains;

public static class GrainsExtensions
{
    /// <summary>Registers every TikTokAds grain, its JSON, and the services the grains use.</summary>
    public static ActorRuntimeBuilder AddTikTokAdsGrains(this ActorRuntimeBuilder runtime, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var services = runtime.Services;
        services.AddOptions<TokenProtectionOptions>().Bind(configuration.GetSection(TokenProtectionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenProtectionOptions>, TokenProtectionOptionsValidator>();
        services.AddSingleton<TokenProtector>();
        services.AddSingleton<DomainMetrics>();
        services.AddOptions<PixelOptions>().Bind(configuration.GetSection(PixelOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IEventStore>(sp => string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"))
            ? new InMemoryEventStore()
            : new PostgresEventStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        services.AddHostedService<EventRetentionService>();
        services.AddOptions<AudienceOptions>().Bind(configuration.GetSection(AudienceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IAudienceStore>(sp => string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"))
            ? new InMemoryAudienceStore()
            : new PostgresAudienceStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        services.AddOptions<OAuthOptions>().Bind(configuration.GetSection(OAuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LeadOptions>().Bind(configuration.GetSection(LeadOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ILeadStore>(sp => string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"))
            ? new InMemoryLeadStore()
            : new PostgresLeadStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        // Call-backs go to organizers' own servers: no cookies, no automatic redirects to elsewhere.
        services.AddHttpClient(LeadInboxGrain.CallbackClient).ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        return runtime
            .AddJsonResolver(AbstractionsJsonContext.Default)
            .AddJsonResolver(GrainsJsonContext.Default)
            .AddGrain<IOrganizerGrain, OrganizerGrain>()
            .AddGrain<IApiKeyGrain, ApiKeyGrain>()
            .AddGrain<IOrganizerDirectoryGrain, OrganizerDirectoryGrain>()
            .AddGrain<IPixelGrain, PixelGrain>()
            .AddGrain<IAudienceGrain, AudienceGrain>()
            .AddGrain<IAudienceDirectoryGrain, AudienceDirectoryGrain>()
            .AddGrain<ILeadRouterGrain, LeadRouterGrain>()
            .AddGrain<ILeadInboxGrain, LeadInboxGrain>();
    }
}
