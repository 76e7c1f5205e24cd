using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
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
            // ApiKey is the default scheme, so the authentication middleware has already run it: naming it here would
            // run it again per request, and merge its principal into a new one.
            .AddPolicy(AuthSchemes.OrganizerPolicy, p => p.RequireClaim(AuthSchemes.OrganizerClaim))
            .AddPolicy(AuthSchemes.AdminPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Admin).RequireRole("operator"));

        services.AddRateLimiter(options => options.AddPolicy<string, OrganizerRateLimitPolicy>(OrganizerRateLimit));

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
