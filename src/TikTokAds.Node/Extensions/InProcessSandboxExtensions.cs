using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using TikTokAds.Grains.Leads;
using TikTokAds.Grains.Organizers;
using TikTokAds.Sandbox;
using TikTokAds.TikTok;

namespace TikTokAds.Node.Extensions;

internal static class InProcessSandboxExtensions
{
    /// <summary>Turns the bare --sandbox switch into configuration, before the host reads its arguments.</summary>
    public static string[] ExpandSandboxSwitch(string[] args)
        => [.. args.Select(a => a == InProcessSandboxOptions.CommandLineSwitch ? $"--{InProcessSandboxOptions.SectionName}:Enabled=true" : a)];

    public static bool InProcessSandboxEnabled(this IConfiguration configuration)
        => configuration.GetSection(InProcessSandboxOptions.SectionName).Get<InProcessSandboxOptions>()?.Enabled == true;

    public static IHostApplicationBuilder AddInProcessSandbox(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(InProcessSandboxOptions.SectionName).Get<InProcessSandboxOptions>() ?? new();
        builder.AddTikTokSandbox();
        // The node learns its own address only once it listens; the TikTok client is created after that.
        builder.Services.AddOptions<TikTokOptions>().PostConfigure<IServer>((tiktok, server) =>
        {
            var self = ListeningAddress.FirstDialable(server) ?? "http://127.0.0.1:5080";
            tiktok.BaseUrl = $"{self}{options.PathPrefix}{SandboxExtensions.ApiPrefix}/";
        });
        // The whole OAuth and lead flow works against the sandbox's own app unless configured otherwise.
        builder.Services.AddOptions<TikTokOptions>().PostConfigure<IOptions<SandboxOptions>>((tiktok, sandbox) =>
        {
            tiktok.AppId ??= sandbox.Value.AppId;
            tiktok.AppSecret ??= sandbox.Value.AppSecret;
        });
        builder.Services.AddOptions<OAuthOptions>().PostConfigure<IServer>((oauth, server) =>
        {
            if (oauth.AuthorizeUrl == OAuthOptions.ProductionAuthorizeUrl)
            {
                oauth.AuthorizeUrl = $"{ListeningAddress.FirstDialable(server) ?? "http://127.0.0.1:5080"}{options.PathPrefix}/portal/auth";
            }
        });
        builder.Services.AddOptions<LeadOptions>().PostConfigure<IOptions<SandboxOptions>>((leads, sandbox) =>
        {
            leads.WebhookSecret ??= sandbox.Value.AppSecret;
            leads.AllowPrivateCallbackAddresses = true;
        });
        return builder;
    }

    public static WebApplication MapInProcessSandbox(this WebApplication app)
    {
        var options = app.Configuration.GetSection(InProcessSandboxOptions.SectionName).Get<InProcessSandboxOptions>() ?? new();
        app.MapTikTokSandbox(options.PathPrefix);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var baseUrl = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TikTokOptions>>().Value.BaseUrl;
            NodeLog.SandboxInProcess(app.Logger, baseUrl);
        });
        return app;
    }
}
