using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TikTokAds.TikTok.Internal;

namespace TikTokAds.TikTok;

/// <summary>
/// Typed client for the TikTok Business API. Every call returns TikTok's envelope classified by its body
/// code; transient and throttled answers are retried by the token's resilience pipeline, so what comes
/// back is final. Failures the client itself saw (timeouts, network, open circuit) come back as
/// negative codes rather than exceptions.
/// </summary>
public sealed partial class TikTokBusinessClient
{
    public const string MeterName = "TikTokAds.TikTok";
    private const string AccessTokenHeader = "Access-Token";
    private readonly HttpClient _http;
    private readonly TikTokPipelines _pipelines;
    private readonly ILogger<TikTokBusinessClient> _logger;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    internal TikTokBusinessClient(HttpClient http, TikTokPipelines pipelines, TikTokMetrics metrics, ILogger<TikTokBusinessClient> logger, string? partnerName = null)
    {
        PartnerName = partnerName;
        _http = http;
        _pipelines = pipelines;
        _logger = logger;
        _requests = metrics.Requests;
        _duration = metrics.Duration;
    }

    /// <summary>Sent as partner_name on Events API requests (TikTok:PartnerName).</summary>
    public string? PartnerName { get; }

    private async Task<TikTokResponse<T>> SendAsync<T>(
        string operation,
        string? accessToken,
        Func<HttpRequestMessage> createRequest,
        JsonTypeInfo<T>? dataType,
        CancellationToken cancellationToken,
        bool rawContent = false)
    {
        var started = Stopwatch.GetTimestamp();
        // TikTok's tokens are printable ASCII; anything else cannot even be put in a header, and no retry
        // fixes it: answer as TikTok does for an invalid token instead of failing as if TikTok were away.
        var raw = accessToken is null || IsSendableToken(accessToken)
            ? await SendThroughPipelineAsync(createRequest, accessToken, rawContent, cancellationToken)
            : RawResponse.ClientFailure(TikTokCodes.TokenInvalid, "The access token contains characters no TikTok token has (only printable ASCII is valid)");

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _requests.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", raw.Outcome.ToString()));
        _duration.Record(elapsed / 1000, new KeyValuePair<string, object?>("operation", operation));
        if (raw.Outcome == TikTokOutcome.Success)
        {
            TikTokLog.Completed(_logger, operation, raw.Outcome, raw.Code, raw.RequestId, elapsed);
        }
        else
        {
            TikTokLog.Failed(_logger, operation, raw.Outcome, raw.Code, raw.Message, raw.RequestId, TikTokPipelines.KeyOf(accessToken));
        }

        var data = default(T);
        if (raw.Outcome == TikTokOutcome.Success)
        {
            if (raw.Content is { } content && content is T bytes)
            {
                data = bytes;
            }
            else if (dataType is not null && raw.Data is { ValueKind: JsonValueKind.Object } element)
            {
                try
                {
                    data = element.Deserialize(dataType);
                }
                catch (JsonException ex)
                {
                    return new TikTokResponse<T>(TikTokCodes.MalformedResponse, $"Unexpected data shape: {ex.Message}", raw.RequestId, raw.HttpStatus, TikTokOutcome.Transient, default);
                }
            }
        }
        return new TikTokResponse<T>(raw.Code, raw.Message, raw.RequestId, raw.HttpStatus, raw.Outcome, data);
    }

    private async ValueTask<RawResponse> SendThroughPipelineAsync(Func<HttpRequestMessage> createRequest, string? accessToken, bool rawContent, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipelines.For(accessToken).ExecuteAsync(
                async token => await SendOnceAsync(createRequest, accessToken, rawContent, token),
                cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return RawResponse.ClientFailure(TikTokCodes.CircuitOpen, "TikTok kept failing for this access token; the circuit is open and no request was sent");
        }
        catch (TimeoutRejectedException)
        {
            return RawResponse.ClientFailure(TikTokCodes.Timeout, "TikTok did not answer within the attempt timeout, after every retry");
        }
        catch (HttpRequestException ex)
        {
            return RawResponse.ClientFailure(TikTokCodes.NetworkError, $"Could not reach TikTok: {ex.HttpRequestError}");
        }
    }

    private async ValueTask<RawResponse> SendOnceAsync(Func<HttpRequestMessage> createRequest, string? accessToken, bool rawContent, CancellationToken cancellationToken)
    {
        using var request = createRequest();
        if (accessToken is not null)
        {
            request.Headers.TryAddWithoutValidation(AccessTokenHeader, accessToken);
        }
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return RawResponse.Parse((int)response.StatusCode, body, rawContent);
    }

    /// <summary>Whether a token can be sent at all: non-empty printable ASCII without spaces.</summary>
    public static bool IsSendableToken(string accessToken)
        => accessToken.Length > 0 && accessToken.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0;

    private static Func<HttpRequestMessage> Post<TBody>(string path, TBody body, JsonTypeInfo<TBody> bodyType)
        => () => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, bodyType) };

    private static Func<HttpRequestMessage> Get(string path, params (string Name, string? Value)[] query)
    {
        var parameters = query.Where(q => q.Value is not null).Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value!)}");
        var uri = $"{path}?{string.Join('&', parameters)}";
        return () => new HttpRequestMessage(HttpMethod.Get, uri);
    }

    private static string JsonArray(IEnumerable<string> values)
        => JsonSerializer.Serialize(values.ToArray(), TikTokJsonContext.Default.StringArray);
}
