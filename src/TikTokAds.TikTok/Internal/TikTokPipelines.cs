using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace TikTokAds.TikTok.Internal;

/// <summary>
/// One resilience pipeline per access token: retry (exponential backoff with jitter, transient and
/// throttled only) around a circuit breaker around a per-attempt timeout. A token that keeps failing
/// opens its own circuit without affecting other organizers.
/// </summary>
internal sealed class TikTokPipelines(IOptions<TikTokOptions> options, TimeProvider timeProvider) : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();

    public ResiliencePipeline<RawResponse> For(string? accessToken)
        => _registry.GetOrAddPipeline<RawResponse>(KeyOf(accessToken), Configure);

    /// <summary>A stable, non-reversible key: tokens never become dictionary keys or log fields.</summary>
    public static string KeyOf(string? accessToken)
        => accessToken is null ? "app" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken)))[..16];

    private void Configure(ResiliencePipelineBuilder<RawResponse> builder)
    {
        var o = options.Value;
        builder.TimeProvider = timeProvider;
        if (o.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<RawResponse>
            {
                ShouldHandle = new PredicateBuilder<RawResponse>()
                    .HandleResult(r => r.Outcome is TikTokOutcome.Transient or TikTokOutcome.Throttled)
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.RetryMaxDelay,
            });
        }
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<RawResponse>
            {
                ShouldHandle = new PredicateBuilder<RawResponse>()
                    .HandleResult(r => r.Outcome == TikTokOutcome.Transient)
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakDuration,
            })
            .AddTimeout(o.AttemptTimeout);
    }

    public void Dispose() => _registry.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
