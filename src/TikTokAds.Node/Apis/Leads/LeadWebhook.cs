using TikTokAds.Contracts;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using TikTokAds.Grains.Security;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis.Leads;

/// <summary>
/// POST /webhooks/tiktok/leads: TikTok's LEAD subscription deliveries. Signed deliveries are checked when
/// Leads:WebhookSecret is set. The lead is stored before the 200 (so an outage answers 503 and TikTok
/// retries), once per lead id, for the organizer its advertiser and page route to.
/// </summary>
internal static class LeadWebhook
{
    public const string Path = "/webhooks/tiktok/leads";
    public const string SignatureHeader = "X-TikTok-Signature";
    private const int MaxBody = 256 * 1024;

    public static IEndpointRouteBuilder MapLeadWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).AllowAnonymous().WithTags("Webhooks")
            .WithSummary("TikTok's LEAD webhook: stored once per lead id and forwarded to the organizer's call-back receiver.");
        return app;
    }

    public static async Task<Results<Ok<LeadWebhookResponse>, Accepted<LeadWebhookResponse>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, IGrainFactory grains, TokenProtector protector, IOptions<LeadOptions> options, TimeProvider time, ILogger<LeadOptions> logger)
    {
        // Content-Length says so at once; a chunked body is cut off while it is read.
        if (request.ContentLength > MaxBody || await ReadAsync(request) is not { } body)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"A lead delivery is at most {MaxBody} bytes.");
        }
        if (options.Value.WebhookSecret is { Length: > 0 } secret && SignatureProblem(request.Headers[SignatureHeader].ToString(), secret, body, time.GetUtcNow(), options.Value.SignatureTolerance) is { } signatureProblem)
        {
            GatewayLog.WebhookRejected(logger, signatureProblem);
            return Problems.Create(StatusCodes.Status401Unauthorized, "invalid_signature", "Unauthorized", signatureProblem);
        }
        JsonObject? root;
        try
        {
            // A repeated key is refused while parsing, not found later as an exception on first access.
            root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root is not null && UnstorablePath(root, "$") is { } nulAt)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { [nulAt] = [StorableStringConverter.NulMessage] },
                $"'{nulAt}' contains a NUL character (\\u0000), which cannot be stored; the lead was not accepted.");
        }
        var lead = root?["object"] as JsonObject ?? root;
        var leadId = Text(lead?["lead_id"]) ?? Text(lead?["id"]);
        var advertiserId = Text(lead?["advertiser_id"]);
        var errors = new Dictionary<string, string[]>();
        if (lead is null)
        {
            errors["body"] = ["A JSON object with the lead (in \"object\") is required."];
        }
        else
        {
            if (leadId is null || leadId.Length > 64)
            {
                errors["object.lead_id"] = ["The lead id is required (at most 64 characters)."];
            }
            if (advertiserId is null || advertiserId.Length > 32 || !advertiserId.All(char.IsAsciiDigit))
            {
                errors["object.advertiser_id"] = ["The advertiser id is required: 1 to 32 digits."];
            }
            if (lead["changes"] is not null and not JsonArray)
            {
                errors["object.changes"] = ["changes must be an array of {field, value}."];
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var pageId = Text(lead!["page_id"]);
        var route = await grains.LeadRouter(advertiserId!).RouteAsync(pageId);
        if (route.OrganizerId is null)
        {
            // Answered 202 so TikTok does not retry forever; operators see the warning, and a pull recovers the lead once routed.
            GatewayLog.LeadUnrouted(logger, leadId!, advertiserId!, pageId ?? "-", route.Reason);
            return TypedResults.Accepted((string?)null, new LeadWebhookResponse("unrouted", false, $"No organizer takes leads of advertiser {advertiserId} ({route.Reason}); the lead was not stored."));
        }
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var change in (lead["changes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(change["field"]) is { Length: <= 128 } field)
            {
                answers[field] = Text(change["value"]) ?? change["value"]?.ToJsonString() ?? "";
            }
        }
        var created = long.TryParse(Text(lead["create_time"]), NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix is > 0 and < 32503680000
            ? DateTimeOffset.FromUnixTimeSeconds(unix)
            : time.GetUtcNow();
        var incoming = LeadAnswers.Incoming(route.OrganizerId, protector, leadId!, advertiserId!, pageId, Text(lead["ad_id"]), Text(lead["ad_name"]),
            Text(lead["campaign_id"]), Text(lead["campaign_name"]), Text(lead["adgroup_id"]), Text(lead["adgroup_name"]), created, LeadSources.Webhook, answers);
        var receipt = await grains.LeadInbox(route.OrganizerId).ReceiveAsync(incoming, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new LeadWebhookResponse(receipt.Status, receipt.Duplicate, receipt.Message));
    }

    /// <summary>Null when "t={unix},s={hex HMAC-SHA256 of "{t}.{body}"}" matches and t is recent.</summary>
    public static string? SignatureProblem(string header, string secret, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("s", out var s) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return $"The {SignatureHeader} header is missing or malformed.";
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return "The signature's timestamp is outside the accepted window.";
        }
        var signed = Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        byte[] given;
        try
        {
            given = Convert.FromHexString(s);
        }
        catch (FormatException)
        {
            return "The signature is not hex.";
        }
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "The signature does not match.";
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The JSON path of the first key or string holding a NUL, which PostgreSQL's text cannot store; null when none.</summary>
    private static string? UnstorablePath(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    var at = $"{path}.{key.Replace("\0", "\\u0000", StringComparison.Ordinal)}";
                    if (key.Contains('\0', StringComparison.Ordinal))
                    {
                        return at;
                    }
                    if (UnstorablePath(child, at) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (UnstorablePath(array[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains('\0', StringComparison.Ordinal):
                return path;
            default:
                return null;
        }
    }

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        JsonValue value when value.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => null,
    };
}
