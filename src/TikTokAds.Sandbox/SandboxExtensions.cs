using Microsoft.Extensions.DependencyInjection.Extensions;
using TikTokAds.Sandbox.Admin;
using TikTokAds.Sandbox.Api;
using TikTokAds.Sandbox.State;

namespace TikTokAds.Sandbox;

public static class SandboxExtensions
{
    /// <summary>The TikTok API path prefix, as in https://business-api.tiktok.com/open_api/v1.3/.</summary>
    public const string ApiPrefix = "/open_api/v1.3";

    public static IHostApplicationBuilder AddTikTokSandbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SandboxOptions>().Bind(builder.Configuration.GetSection(SandboxOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SandboxState>();
        builder.Services.AddSingleton<LeadWebhookSender>();
        builder.Services.AddHttpClient(nameof(LeadWebhookSender), c => c.Timeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>Maps TikTok's paths under <paramref name="prefix"/> + /open_api/v1.3/, the consent page, and /sandbox/ admin.</summary>
    public static IEndpointRouteBuilder MapTikTokSandbox(this IEndpointRouteBuilder app, string prefix = "")
    {
        var root = app.MapGroup(prefix);
        var api = root.MapGroup(ApiPrefix).ExcludeFromDescription();
        api.AddEndpointFilter(TikTokBehaviour);
        api.MapPost("/event/track/", EventsApi.TrackAsync);
        api.MapPost("/segment/audience/", AudienceApi.SegmentAudienceAsync);
        api.MapPost("/segment/mapping/", AudienceApi.SegmentMappingAsync);
        api.MapPost("/dmp/custom_audience/file/upload/", CustomAudienceApi.UploadFileAsync).DisableAntiforgery();
        api.MapPost("/dmp/custom_audience/create/", CustomAudienceApi.CreateAsync);
        api.MapPost("/dmp/custom_audience/update/", CustomAudienceApi.UpdateAsync);
        api.MapGet("/dmp/custom_audience/get/", CustomAudienceApi.Get);
        api.MapGet("/dmp/custom_audience/list/", CustomAudienceApi.List);
        api.MapPost("/dmp/custom_audience/delete/", CustomAudienceApi.DeleteAsync);
        api.MapPost("/dmp/custom_audience/lookalike/create/", CustomAudienceApi.CreateLookalikeAsync);
        api.MapPost("/dmp/custom_audience/apply/", AdGroupApi.ApplyAsync);
        api.MapGet("/adgroup/get/", AdGroupApi.Get);
        api.MapPost("/oauth2/access_token/", OAuthApi.AccessTokenAsync);
        api.MapGet("/oauth2/advertiser/get/", OAuthApi.AuthorizedAdvertisers);
        api.MapGet("/advertiser/info/", OAuthApi.AdvertiserInfo);
        api.MapGet("/pixel/list/", OAuthApi.Pixels);
        api.MapPost("/page/lead/task/", LeadApi.TaskAsync);
        api.MapGet("/page/lead/task/download/", LeadApi.Download);
        api.MapGet("/page/get/", LeadApi.Forms);
        api.MapPost("/subscription/subscribe/", LeadApi.SubscribeAsync);
        api.MapGet("/pixel/event/stats/", PixelStatsApi.Stats);
        root.MapGet("/portal/auth", OAuthApi.Authorize).ExcludeFromDescription();
        SandboxAdminApi.Map(root);
        SandboxStatsAdminApi.Map(root);
        return app;
    }

    /// <summary>What the real API does before any handler: paths must end in '/', and injected faults apply.</summary>
    private static async ValueTask<object?> TikTokBehaviour(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var path = http.Request.Path.Value ?? "";
        if (!path.EndsWith('/'))
        {
            return Results.NotFound();
        }
        var state = http.RequestServices.GetRequiredService<SandboxState>();
        state.Calls.AddOrUpdate(path, 1, static (_, n) => n + 1);
        var fault = state.Faults.Pick(path, http.Request.Headers[SandboxRequest.AccessTokenHeader].ToString());
        if (fault is not null)
        {
            try
            {
                if (fault.LatencyMs is > 0)
                {
                    await Task.Delay(fault.LatencyMs.Value, http.RequestAborted);
                }
                if (fault.Timeout)
                {
                    // Hang until the client gives up, as a stuck upstream would.
                    await Task.Delay(TimeSpan.FromMinutes(5), http.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
            if (fault.HttpStatus is { } status)
            {
                return Results.Text($"Injected HTTP {status}", "text/plain", statusCode: status);
            }
            if (fault.Code is { } code)
            {
                return Envelope.Error(code, $"Injected fault: code {code}.");
            }
        }
        return await next(context);
    }
}
