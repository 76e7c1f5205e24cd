using System.Text.Json;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;

namespace TikTokAds.Sandbox.Api;

/// <summary>What every sandbox API handler does first: read the token and the JSON body as TikTok would.</summary>
internal static class SandboxRequest
{
    public const string AccessTokenHeader = "Access-Token";

    /// <summary>40104 without a token, 40105 for one TikTok does not know (or that was revoked).</summary>
    public static (TokenGrant? Grant, IResult? Error, int Code) Authenticate(HttpRequest request, SandboxState state, string requestId)
    {
        var token = request.Headers[AccessTokenHeader].ToString();
        if (token.Length == 0)
        {
            token = request.Query["access_token"].ToString();
        }
        if (token.Length == 0)
        {
            return (null, Envelope.Error(40104, "Access token is null. Pass it in the Access-Token header.", requestId), 40104);
        }
        var grant = state.Grants.Find(token);
        return grant is null
            ? (null, Envelope.Error(40105, "Access token is incorrect or has been revoked.", requestId), 40105)
            : (grant, null, 0);
    }

    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, string requestId)
    {
        var (document, error) = await ReadDocumentAsync(request, requestId);
        using (document)
        {
            return document is null ? (null, error) : (JsonObject.Create(document.RootElement.Clone()), null);
        }
    }

    /// <summary>The body as a document whose root is an object (the caller disposes it), or TikTok's 40000.</summary>
    public static async Task<(JsonDocument? Body, IResult? Error)> ReadDocumentAsync(HttpRequest request, string requestId)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, Envelope.Error(40000, $"The request body is not valid JSON: {ex.Message}", requestId));
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return (document, null);
        }
        document.Dispose();
        return (null, Envelope.Error(40000, "The request body must be a JSON object.", requestId));
    }

    /// <summary>Token, JSON body, and an advertiser_id in the body that the token may operate (else 40001).</summary>
    public static async Task<(AdvertiserCall? Call, IResult? Error)> OpenBodyAsync(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (grant, error, _) = Authenticate(request, state, requestId);
        if (error is not null)
        {
            return (null, error);
        }
        var (body, parseError) = await ReadObjectAsync(request, requestId);
        if (parseError is not null)
        {
            return (null, parseError);
        }
        return Permit(grant!, body!, String(body!["advertiser_id"]), requestId);
    }

    /// <summary>Token, and an advertiser_id in the query string that the token may operate (else 40001).</summary>
    public static (AdvertiserCall? Call, IResult? Error) OpenQuery(HttpRequest request, SandboxState state)
    {
        var requestId = Envelope.NewRequestId();
        var (grant, error, _) = Authenticate(request, state, requestId);
        return error is not null ? (null, error) : Permit(grant!, [], request.Query["advertiser_id"].ToString(), requestId);
    }

    private static (AdvertiserCall? Call, IResult? Error) Permit(TokenGrant grant, JsonObject body, string? advertiserId, string requestId)
        => advertiserId is { Length: > 0 } && grant.AdvertiserIds.Contains(advertiserId)
            ? (new AdvertiserCall(grant, body, advertiserId, requestId), null)
            : (null, Envelope.Error(40001, $"No permission to operate advertiser {advertiserId}.", requestId));

    public static string? String(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool TryLong(JsonNode? node, out long number)
    {
        number = 0;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out number);
    }

    public static bool TryDecimal(JsonNode? node, out decimal number)
    {
        number = 0;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out number);
    }

    /// <summary>A JSON string, or an array of strings, as TikTok accepts for user fields; null when absent.</summary>
    public static IReadOnlyList<string>? Strings(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => [.. array.Select(item => String(item) ?? "\u0000")],
        _ => [String(node) ?? "\u0000"],
    };

    public static IReadOnlyList<string> StringArray(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(json) is JsonArray array ? [.. array.Select(n => String(n) ?? n?.ToJsonString() ?? "")] : [json];
        }
        catch (JsonException)
        {
            return [.. json.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
    }
}

/// <summary>An authenticated call on behalf of one advertiser the token may operate.</summary>
internal sealed record AdvertiserCall(TokenGrant Grant, JsonObject Body, string AdvertiserId, string RequestId);
