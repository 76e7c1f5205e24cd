using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TikTokAds.Node.Auth;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// A token bucket per organizer (Gateway:PermitsPerSecond sustained, Gateway:Burst above it); over it, 429 with
/// Retry-After. The bucket's settings are made once, not per request.
/// </summary>
internal sealed class OrganizerRateLimitPolicy(IOptions<GatewayOptions> options, ILogger<OrganizerRateLimitPolicy> logger) : IRateLimiterPolicy<string>
{
    private readonly Func<string, TokenBucketRateLimiterOptions> _bucket = _ => new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.Value.Burst,
        TokensPerPeriod = options.Value.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        => RateLimitPartition.GetTokenBucketLimiter(httpContext.User.OrganizerIdOrNull() ?? "anonymous", _bucket);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        var http = context.HttpContext;
        GatewayLog.RateLimited(logger, http.User.OrganizerIdOrNull() ?? "anonymous", http.Request.Path.Value ?? "");
        await new ProblemWithRetryAfter(
            Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests", "This organizer's request rate is over its limit; retry after the indicated delay."),
            retryAfter).ExecuteAsync(http);
    }
}
