using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TikTokAds.Orleans.Abstractions;
using TikTokAds.Orleans.Abstractions.Organizers;
using TikTokAds.Orleans.Grains.Organizers;
using TikTokAds.Orleans.Grains.Security;
using TikTokAds.Orleans.Runtime.Hosting;

namespace TikTokAds.Orleans.Grains;

public static class GrainsExtensions
{
    /// <summary>Registers every TikTokAds grain, its JSON, and the services the grains use.</summary>
    public static ActorRuntimeBuilder AddTikTokAdsGrains(this ActorRuntimeBuilder runtime, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var services = runtime.Services;
        services.AddOptions<TokenProtectionOptions>().Bind(configuration.GetSection(TokenProtectionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenProtectionOptions>, TokenProtectionOptionsValidator>();
        services.AddSingleton<TokenProtector>();
        return runtime
            .AddJsonResolver(AbstractionsJsonContext.Default)
            .AddJsonResolver(GrainsJsonContext.Default)
            .AddGrain<IOrganizerGrain, OrganizerGrain>()
            .AddGrain<IApiKeyGrain, ApiKeyGrain>()
            .AddGrain<IOrganizerDirectoryGrain, OrganizerDirectoryGrain>();
    }
}
