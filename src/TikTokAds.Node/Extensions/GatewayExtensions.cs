using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using TikTokAds.Node.Apis;
using TikTokAds.Node.Apis.Events;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Extensions;

internal static class GatewayExtensions
{
    public const string OrganizerRateLimit = "organizer";

    /// <summary>Authentication (organizer keys, operator key), per-organizer rate limits, ProblemDetails, JSON.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.SectionName))
            .Validate(o => o.ApiKey is null || o.ApiKey.Length >= 16, "Admin:ApiKey (Admin__ApiKey) must be at least 16 characters.")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyResolver>();
        services.AddSingleton<OrganizerAdministration>();
        services.AddSingleton<ConnectionDirectory>();
        services.AddSingleton<PixelEventQueue>();
        services.AddOptions<EventsOptions>().Bind(builder.Configuration.GetSection(EventsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOutputCache();
        services.AddHealthChecks().AddCheck<Apis.Leads.LeadWebhookHealthCheck>(Apis.Leads.LeadWebhookHealthCheck.Name, tags: ["ready"]);

        services.AddAuthentication(AuthSchemes.ApiKey)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyAuthenticationHandler>(AuthSchemes.Admin, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthSchemes.OrganizerPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.ApiKey).RequireClaim(AuthSchemes.OrganizerClaim))
            .AddPolicy(AuthSchemes.AdminPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Admin).RequireRole("operator"));

        services.AddRateLimiter(options =>
        {
            options.AddPolicy(OrganizerRateLimit, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
                var organizer = context.User.FindFirst(AuthSchemes.OrganizerClaim)?.Value ?? "anonymous";
                return RateLimitPartition.GetTokenBucketLimiter(organizer, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                var http = context.HttpContext;
                GatewayLog.RateLimited(http.RequestServices.GetRequiredService<ILogger<RateLimiterOptions>>(), http.User.FindFirst(AuthSchemes.OrganizerClaim)?.Value ?? "anonymous", http.Request.Path.Value ?? "");
                await new ProblemWithRetryAfter(
                    Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests", "This organizer's request rate is over its limit; retry after the indicated delay."),
                    retryAfter).ExecuteAsync(http);
            };
        });

        services.AddProblemDetails();
        services.AddExceptionHandler<GatewayExceptionHandler>();
        services.Configure<JsonOptions>(o =>
        {
            // The seed's API is snake_case; the context's own naming policy does not carry over to these options.
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
            // A repeated key is ambiguous (which one counts depends on the reader), and a NUL cannot be stored:
            // both make the body unreadable (400) instead of reaching a grain or the database.
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.Converters.Add(new StorableStringConverter());
        });
        // Unreadable bodies become exceptions, so the one exception handler answers them with ProblemDetails.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }
}
