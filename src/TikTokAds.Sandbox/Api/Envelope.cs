using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TikTokAds.Sandbox.Api;

/// <summary>TikTok's answer shape: HTTP 200 with {code, message, request_id, data}; data is {} on errors.</summary>
internal static class Envelope
{
    public static IResult Ok(JsonNode? data = null, string? requestId = null) => Result(0, "OK", data, requestId);

    public static IResult Error(int code, string message, string? requestId = null) => Result(code, message, null, requestId);

    public static IResult Result(int code, string message, JsonNode? data, string? requestId = null)
    {
        var body = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["request_id"] = requestId ?? NewRequestId(),
            ["data"] = data ?? new JsonObject(),
        };
        return Results.Text(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }

    /// <summary>Like TikTok's: a UTC timestamp followed by random hex.</summary>
    public static string NewRequestId()
        => DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Convert.ToHexString(RandomNumberGenerator.GetBytes(10));
}
