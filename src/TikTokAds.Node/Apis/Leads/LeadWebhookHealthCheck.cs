using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TikTokAds.Grains.Leads;

namespace TikTokAds.Node.Apis.Leads;

/// <summary>
/// Readiness detail for the lead webhook. A node that refuses (or takes unsigned) deliveries is Degraded, not
/// Unhealthy: /health/ready still answers 200, because a node that takes no leads is ready for everything else.
/// </summary>
internal sealed class LeadWebhookHealthCheck(IOptions<LeadOptions> options) : IHealthCheck
{
    public const string Name = "lead-webhook";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(options.Value.WebhookSigning switch
        {
            LeadWebhookSigning.Signed => HealthCheckResult.Healthy("Lead webhooks are checked against Leads:WebhookSecret."),
            LeadWebhookSigning.Unsigned => HealthCheckResult.Degraded("Lead webhooks are accepted unsigned (Leads:AllowUnsignedWebhooks=true)."),
            _ => HealthCheckResult.Degraded(LeadWebhook.NotConfiguredProblem),
        });
}
