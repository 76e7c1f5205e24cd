using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TikTokAds.Sandbox.State;

/// <summary>
/// Delivers LEAD events to subscribers at least once: failed deliveries are retried, and a lead can be
/// delivered more than once on purpose. Each delivery is signed with the app secret
/// (X-TikTok-Signature: t={unix},s={hex HMAC-SHA256 of "{t}.{body}"}); TikTok's own signature scheme is
/// unconfirmed, so receivers treat this one as the sandbox's.
/// </summary>
public sealed class LeadWebhookSender(SandboxState state, IHttpClientFactory httpFactory)
{
    public const string SignatureHeader = "X-TikTok-Signature";

    public void Deliver(SandboxLead lead, int times)
    {
        foreach (var subscription in state.Leads.SubscriptionsFor(lead))
        {
            for (var copy = 0; copy < Math.Max(times, 1); copy++)
            {
                _ = Task.Run(() => DeliverWithRetriesAsync(subscription, lead));
            }
        }
    }

    public static JsonObject Payload(LeadSubscription subscription, SandboxLead lead) => new()
    {
        ["subscription_id"] = subscription.SubscriptionId,
        ["subscribe_entity"] = "LEAD",
        ["timestamp"] = lead.CreatedAt.ToUnixTimeSeconds(),
        ["object"] = new JsonObject
        {
            ["lead_id"] = lead.LeadId,
            ["page_id"] = lead.PageId,
            ["advertiser_id"] = lead.AdvertiserId,
            ["campaign_id"] = "1700000000000000001",
            ["campaign_name"] = "Sandbox campaign",
            ["adgroup_id"] = "1710000000000000001",
            ["adgroup_name"] = "Sandbox ad group",
            ["ad_id"] = lead.AdId,
            ["ad_name"] = $"Ad {lead.AdId}",
            ["create_time"] = lead.CreatedAt.ToUnixTimeSeconds(),
            ["changes"] = new JsonArray([.. lead.Fields.Select(f => (JsonNode)new JsonObject { ["field"] = f.Key, ["value"] = f.Value })]),
        },
    };

    public static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},s={Convert.ToHexStringLower(mac)}";
    }

    private async Task DeliverWithRetriesAsync(LeadSubscription subscription, SandboxLead lead)
    {
        var body = Payload(subscription, lead).ToJsonString();
        using var http = httpFactory.CreateClient(nameof(LeadWebhookSender));
        for (var attempt = 1; attempt <= state.Options.WebhookRetries + 1; attempt++)
        {
            int? status = null;
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, subscription.CallbackUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add(SignatureHeader, Sign(subscription.Secret, state.Now.ToUnixTimeSeconds(), body));
                using var response = await http.SendAsync(request);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
            catch (TaskCanceledException ex)
            {
                error = ex.Message;
            }
            state.Leads.RecordDelivery(new WebhookDelivery(subscription.SubscriptionId, lead.LeadId, subscription.CallbackUrl, attempt, status, error, state.Now));
            if (status is >= 200 and < 300)
            {
                return;
            }
            await Task.Delay(state.Options.WebhookRetryDelay * attempt);
        }
    }
}
