using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TikTokAds.Node.Observability;

/// <summary>The seed's request examples, attached to the matching operations of the OpenAPI document.</summary>
internal static class SeedExamples
{
    private static readonly Dictionary<(string Method, string Path), string> Requests = new()
    {
        [("POST", "api/integrations/tiktok-ads/connect")] = """
            {"pixel_id":"CXXXXXXXXXXXXXXXXXXX","access_token":"<from TikTok Events Manager>","advertiser_id":"7000000000000000001",
             "test_mode":false,"default_country_code":"40","track_purchases":true,"track_add_to_cart":true,"track_checkout":true,"track_registrations":true}
            """,
        [("POST", "api/integrations/tiktok-ads/events")] = """
            {"event_type":"CompletePayment","event_time":1795300000,"event_id":"purchase_1001","order_id":"1001",
             "user":{"email":"fan@example.com","phone":"+40 721 234 567","external_id":"user-42"},
             "properties":{"value":120.5,"currency":"RON","content_type":"product","contents":[{"content_id":"ticket-vip","content_name":"VIP ticket","quantity":2,"price":60.25}]},
             "context":{"page_url":"https://tickets.example/checkout?ttclid=E.C.P.abc","user_agent":"Mozilla/5.0","ip":"203.0.113.7","ttp":"2a1b3c"},
             "consent":{"granted":true,"limited_data_use":false}}
            """,
        [("POST", "api/integrations/tiktok-ads/events/batch")] = """
            {"events":[{"event_type":"ViewContent","event_id":"view_9","consent":{"granted":true},"context":{"page_url":"https://tickets.example/e/9"}},
                       {"event_type":"AddToCart","event_id":"cart_9","consent":{"granted":true},"properties":{"value":59.9,"currency":"EUR"}}]}
            """,
        [("POST", "api/integrations/tiktok-ads/audiences")] = """
            {"advertiser_id":"7000000000000000001","custom_audience_name":"Buyers 2026","audience_type":"CUSTOMER_FILE","id_schema":["EMAIL_SHA256","PHONE_SHA256"]}
            """,
        [("POST", "api/integrations/tiktok-ads/audiences/{audienceId}/sync")] = """
            {"action":"APPEND","id_schema":["EMAIL_SHA256","PHONE_SHA256"],"members":[["fan@example.com","+40721234567"],["other@example.com",null]]}
            """,
        [("POST", "api/integrations/tiktok-ads/audiences/{audienceId}/exclusions")] = """
            {"adgroup_ids":["1790000000000000001","1790000000000000002"],"usage_mode":"EXCLUDE"}
            """,
        [("DELETE", "api/integrations/tiktok-ads/audiences/{audienceId}/exclusions")] = """
            {"adgroup_ids":["1790000000000000001"]}
            """,
    };

    public static Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var key = (context.Description.HttpMethod ?? "", context.Description.RelativePath ?? "");
        if (Requests.TryGetValue(key, out var example) && operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var media))
        {
            media.Example = JsonNode.Parse(example);
        }
        return Task.CompletedTask;
    }
}
