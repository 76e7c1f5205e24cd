using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Npgsql;
using TikTokAds.Grains.Assurance;
using TikTokAds.Grains.Audiences;
using TikTokAds.Grains.Events;
using TikTokAds.Grains.Leads;
using TikTokAds.Grains.Organizers;
using TikTokAds.Grains.Security;
using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains;

public static class GrainsExtensions
{
    /// <summary>
    /// The services the grains use: options, token protection, metrics, and the product's stores (PostgreSQL
    /// when ConnectionStrings:Postgres is set, memory otherwise). Orleans finds the grains themselves.
    /// </summary>
    public static IServiceCollection AddTikTokAdsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TokenProtectionOptions>().Bind(configuration.GetSection(TokenProtectionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenProtectionOptions>, TokenProtectionOptionsValidator>();
        services.AddSingleton<TokenProtector>();
        services.AddSingleton<OrganizerTikTok>();
        services.AddSingleton<DomainMetrics>();
        services.AddSingleton<JsonGrainStateSerializer>();
        services.AddOptions<PixelOptions>().Bind(configuration.GetSection(PixelOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AudienceOptions>().Bind(configuration.GetSection(AudienceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OAuthOptions>().Bind(configuration.GetSection(OAuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LeadOptions>().Bind(configuration.GetSection(LeadOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Alerts.AlertOptions>().Bind(configuration.GetSection(Alerts.AlertOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SegmentOptions>().Bind(configuration.GetSection(SegmentOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AssuranceOptions>().Bind(configuration.GetSection(AssuranceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReconciliationTikTok>();
        services.AddSingleton<ExclusionTikTok>();
        // Decided when first resolved, so test hosts can still change the configuration.
        services.AddSingleton<IEventStore>(sp => Clustered(configuration) ? new PostgresEventStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<PixelOptions>>().Value.StoreWritesInFlight, sp.GetRequiredService<DomainMetrics>()) : new InMemoryEventStore(sp.GetRequiredService<IBuyerFactStore>(), sp.GetRequiredService<IOptions<PixelOptions>>().Value.InMemorySettledEvents));
        services.AddSingleton<IAudienceStore>(sp => Clustered(configuration) ? new PostgresAudienceStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ILogger<PostgresAudienceStore>>()) : new InMemoryAudienceStore());
        services.AddSingleton<ILeadStore>(sp => Clustered(configuration) ? new PostgresLeadStore(sp.GetRequiredService<NpgsqlDataSource>()) : new InMemoryLeadStore());
        services.AddSingleton<IBuyerFactStore>(sp => Clustered(configuration) ? new PostgresBuyerFactStore(sp.GetRequiredService<NpgsqlDataSource>()) : new InMemoryBuyerFactStore(sp.GetRequiredService<IOptions<SegmentOptions>>().Value.InMemoryBuyerFacts));
        services.AddHostedService<EventRetentionService>();
        services.AddHostedService<BuyerFactRetentionService>();
        services.AddSingleton<LeadForwarder>();
        services.AddSingleton<LeadTikTok>();
        // Call-backs go to organizers' own servers: no cookies, no automatic redirects to elsewhere, public addresses only.
        services.TryAddSingleton(CallbackHosts.System);
        services.AddHttpClient(LeadForwarder.ClientName).ConfigurePrimaryHttpMessageHandler(sp => CallbackConnections.Handler(
            sp.GetRequiredService<IOptions<LeadOptions>>().Value.AllowPrivateCallbackAddresses, sp.GetRequiredService<CallbackHosts>()));
        return services;
    }

    private static bool Clustered(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"));
}
