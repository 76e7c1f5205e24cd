using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// The gateway node on a real loopback port, so the sandbox can call it back (lead webhooks) and OAuth
/// redirects point at an address that exists; with the sandbox's app configured for OAuth and leads.
/// </summary>
public sealed class KestrelGatewayFactory : GatewayFactory
{
    public KestrelGatewayFactory() => UseKestrel(0);

    public const string SandboxAppSecret = "sandbox-app-secret";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Settings["TikTok:AppId"] = "sandbox-app";
        Settings["TikTok:AppSecret"] = SandboxAppSecret;
        Settings["OAuth:AuthorizeUrl"] = new Uri(Sandbox.BaseAddress, "portal/auth").ToString();
        Settings["Leads:WebhookSecret"] = SandboxAppSecret;
        Settings["Leads:AllowPrivateCallbackAddresses"] = "true";
        Settings["Leads:RetryBaseDelay"] = "00:00:00.200";
        Settings["Leads:RetryMaxDelay"] = "00:00:01";
        Settings["Leads:PullPollInterval"] = "00:00:00.100";
        Sandbox.State.Options.WebhookRetryDelay = TimeSpan.FromMilliseconds(100);
    }

    /// <summary>The node's own address (http://127.0.0.1:port).</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }
}
