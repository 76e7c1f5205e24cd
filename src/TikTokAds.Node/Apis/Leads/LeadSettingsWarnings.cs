using Microsoft.Extensions.Options;
using TikTokAds.Grains.Leads;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Leads;

/// <summary>The start-up warnings for lead settings that leave a node open: unchecked webhooks and private call-backs.</summary>
internal static class LeadSettingsWarnings
{
    public static void LogWhenStarted(IServiceProvider services)
        => services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
        {
            // Once started, when every post-configuration (--sandbox sets the secret) has been applied.
            var logger = services.GetRequiredService<ILogger<LeadOptions>>();
            var options = services.GetRequiredService<IOptions<LeadOptions>>().Value;
            switch (options.WebhookSigning)
            {
                case LeadWebhookSigning.NotConfigured:
                    GatewayLog.WebhookNotConfigured(logger);
                    break;
                case LeadWebhookSigning.Unsigned:
                    GatewayLog.WebhookUnsigned(logger);
                    break;
            }
            if (options.AllowPrivateCallbackAddresses)
            {
                GatewayLog.PrivateCallbacksAllowed(logger);
            }
        });
}
