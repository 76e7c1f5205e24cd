using System.Text.Json;

namespace TikTokAds.TikTok.Internal;

/// <summary>One attempt's answer: the parsed envelope, or the client's own failure code.</summary>
internal sealed record RawResponse(int HttpStatus, int Code, string Message, string? RequestId, TikTokOutcome Outcome, JsonElement? Data, byte[]? Content)
{
    public static RawResponse ClientFailure(int code, string message) => new(0, code, message, null, TikTokResponseClassifier.Classify(code), null, null);

    /// <summary>Parses TikTok's envelope; a body that is not one is a transient, malformed answer.</summary>
    public static RawResponse Parse(int httpStatus, byte[] body, bool rawContentOnSuccess)
    {
        if (httpStatus != 200)
        {
            var outcome = TikTokResponseClassifier.ClassifyHttpStatus(httpStatus);
            return new RawResponse(httpStatus, TikTokCodes.HttpError, $"HTTP {httpStatus} from TikTok", null, outcome, null, null);
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var codeElement) || !codeElement.TryGetInt32(out var code))
            {
                return Malformed(body, rawContentOnSuccess);
            }
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
            var requestId = root.TryGetProperty("request_id", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            JsonElement? data = root.TryGetProperty("data", out var d) ? d.Clone() : null;
            return new RawResponse(httpStatus, code, message, requestId, TikTokResponseClassifier.Classify(code), data, null);
        }
        catch (JsonException)
        {
            return Malformed(body, rawContentOnSuccess);
        }
    }

    // Downloads answer with the file itself, not an envelope.
    private static RawResponse Malformed(byte[] body, bool rawContentOnSuccess)
        => rawContentOnSuccess
            ? new RawResponse(200, TikTokCodes.Ok, "OK", null, TikTokOutcome.Success, null, body)
            : new RawResponse(200, TikTokCodes.MalformedResponse, "TikTok answered HTTP 200 without its JSON envelope", null, TikTokOutcome.Transient, null, null);
}
