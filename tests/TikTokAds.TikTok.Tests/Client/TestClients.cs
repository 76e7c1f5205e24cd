using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TikTokAds.TikTok;

namespace TikTokAds.TikTok.Tests.Client;

/// <summary>A client wired exactly as a node wires it, pointed at a sandbox, with fast retry delays.</summary>
internal static class TestClients
{
    public static TikTokBusinessClient Create(string baseUrl, Action<TikTokOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["TikTok:BaseUrl"] = baseUrl;
        builder.AddTikTokClient();
        builder.Services.Configure<TikTokOptions>(options =>
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            options.RetryMaxDelay = TimeSpan.FromMilliseconds(50);
            options.AttemptTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        });
        return builder.Build().Services.GetRequiredService<TikTokBusinessClient>();
    }
}
