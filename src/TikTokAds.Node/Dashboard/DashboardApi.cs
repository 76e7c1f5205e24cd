using TikTokAds.Contracts;
using System.Reflection;
using Orleans.Dashboard;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Node.Apis.Audiences;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Dashboard;

/// <summary>
/// /dashboard: the product's operator pages (pixels, audiences, this node's warnings), polling JSON every
/// 2 s; the cluster itself (silos, grains, reminders) is Orleans' own dashboard at /dashboard/cluster.
/// </summary>
internal static class DashboardApi
{
    public const string CookieName = "tta_operator";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/login", () => Asset("login.html", "text/html")).ExcludeFromDescription();
        app.MapPost("/dashboard/login", Login).ExcludeFromDescription().DisableAntiforgery();
        var dashboard = app.MapGroup("/dashboard").RequireAuthorization(AuthSchemes.AdminPolicy).ExcludeFromDescription();
        dashboard.MapGet("", () => Asset("index.html", "text/html"));
        dashboard.MapGet("/app.js", () => Asset("app.js", "text/javascript"));
        dashboard.MapGet("/api/problems", (RecentProblems problems) => problems.Latest);
        dashboard.MapGet("/api/pixels", PixelsAsync);
        dashboard.MapGet("/api/pixels/{organizerId}/{pixelId}/events", LatestEventsAsync);
        dashboard.MapGet("/api/pixels/{organizerId}/{pixelId}/assurance", AssuranceAsync);
        dashboard.MapGet("/api/audiences", AudiencesAsync);
        dashboard.MapGet("/api/alerts", AlertsAsync);
        // Orleans' own dashboard (silos, grains, reminders, call rates), behind the same operator login.
        app.MapOrleansDashboard("/dashboard/cluster").RequireAuthorization(AuthSchemes.AdminPolicy).ExcludeFromDescription();
        return app;
    }

    /// <summary>A browser's login: the operator key once, then an HttpOnly cookie derived from it.</summary>
    private static async Task<IResult> Login(HttpContext context, IOptions<AdminOptions> admin)
    {
        if (!context.Request.HasFormContentType)
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type",
                "The login takes the login page's form (application/x-www-form-urlencoded) with the operator key in 'key'.");
        }
        string key;
        try
        {
            key = (await context.Request.ReadFormAsync(context.RequestAborted))["key"].ToString();
        }
        catch (InvalidDataException ex)
        {
            // The form reader's own limits (value length, key count) say what was wrong.
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid_request", "Invalid request", ex.Message);
        }
        if (string.IsNullOrEmpty(admin.Value.ApiKey) || !AdminKeyAuthenticationHandler.Matches(key, admin.Value.ApiKey))
        {
            return Results.Redirect("/dashboard/login?failed=1");
        }
        context.Response.Cookies.Append(CookieName, AdminKeyAuthenticationHandler.SessionValue(admin.Value.ApiKey), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/dashboard",
        });
        return Results.Redirect("/dashboard");
    }

    private static async Task<IResult> LatestEventsAsync(string organizerId, string pixelId, IGrainFactory grains)
        => GrainKeys.IsOrganizerId(organizerId)
            ? Results.Ok(await grains.Pixel(organizerId, pixelId).GetLatestAsync(50))
            : Results.NotFound();

    /// <summary>
    /// A pixel's proof of delivery for the operator, in the public API's shapes: its latest dead letters, its latest
    /// requests to TikTok, the last 7 days of reconciliation, and the last 24 hours of match quality.
    /// </summary>
    private static async Task<IResult> AssuranceAsync(string organizerId, string pixelId, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsOrganizerId(organizerId))
        {
            return Results.NotFound();
        }
        var pixel = grains.Pixel(organizerId, pixelId);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var window = TimeSpan.FromHours(24);
        return Results.Ok(new PixelAssurance(
            [.. (await pixel.GetDeadLettersAsync(new Contracts.Events.DeadLetterQuery(Limit: 50), includePayload: false, cancellationToken)).Select(Apis.Events.DeadLetterResponse.From)],
            [.. (await pixel.GetRequestsAsync(new Contracts.Events.RequestLogQuery(Limit: 50), cancellationToken)).Select(Apis.Events.RequestResponse.From)],
            Apis.Assurance.ReconciliationResponse.Of(await grains.Reconciliation(organizerId, pixelId).GetAsync(today.AddDays(-6), today)),
            Apis.Assurance.MatchQualityResponse.Of(await grains.MatchQuality(organizerId, pixelId).GetAsync(window, cancellationToken), window)));
    }

    private static async Task<PixelRow[]> PixelsAsync(IGrainFactory grains)
    {
        var rows = new List<PixelRow>();
        foreach (var organizer in await grains.OrganizerDirectory().ListAsync())
        {
            foreach (var connection in await grains.Organizer(organizer.Id).GetConnectionsAsync())
            {
                var s = await grains.Pixel(organizer.Id, connection.PixelId).GetStatusAsync();
                rows.Add(new PixelRow(organizer.Id, organizer.Name, connection.PixelId, connection.Status, s.HostedOn,
                    s.Counts.GetValueOrDefault(EventStatuses.Accepted) + s.Counts.GetValueOrDefault(EventStatuses.Delivered) + s.Counts.GetValueOrDefault(EventStatuses.Failed),
                    s.Counts.GetValueOrDefault(EventStatuses.Delivered), s.Counts.GetValueOrDefault(EventStatuses.Failed), s.Counts.GetValueOrDefault(EventStatuses.Skipped),
                    s.Counts.GetValueOrDefault(EventStatuses.Duplicate),
                    s.BufferDepth, s.BudgetLeftToday, s.LastFlushAt, s.LastError));
            }
        }
        return [.. rows];
    }

    /// <summary>Every organizer's audiences with the ad groups each is applied to, and its segments with their bound audience and runs.</summary>
    private static async Task<AudiencesPage> AudiencesAsync(IGrainFactory grains)
    {
        var audiences = new List<AudienceRow>();
        var segments = new List<SegmentRow>();
        foreach (var organizer in await grains.OrganizerDirectory().ListAsync())
        {
            foreach (var id in await grains.AudienceDirectory(organizer.Id).ListAsync())
            {
                if (await grains.Audience(organizer.Id, id).GetAsync() is { } view)
                {
                    var exclusions = await grains.Exclusions(organizer.Id).GetAsync(id);
                    audiences.Add(new AudienceRow(organizer.Id, organizer.Name, AudiencesApi.ToResponse(view), ExclusionsApi.ToResponse(id, exclusions).AdGroups));
                }
            }
            foreach (var id in await grains.SegmentDirectory(organizer.Id).ListAsync())
            {
                if (await grains.Segment(organizer.Id, id).GetAsync() is { } segment)
                {
                    segments.Add(new SegmentRow(organizer.Id, organizer.Name, Apis.Segments.SegmentsApi.ToResponse(segment)));
                }
            }
        }
        return new AudiencesPage([.. audiences], [.. segments]);
    }

    /// <summary>Every organizer's active alerts and its recently resolved ones, newest first.</summary>
    private static async Task<AlertRow[]> AlertsAsync(IGrainFactory grains)
    {
        var rows = new List<AlertRow>();
        foreach (var organizer in await grains.OrganizerDirectory().ListAsync())
        {
            rows.AddRange((await grains.Alerts(organizer.Id).ListAsync(includeResolved: true)).Select(a => new AlertRow(organizer.Id, organizer.Name, a)));
        }
        return [.. rows.OrderBy(r => r.Alert.State == "active" ? 0 : 1).ThenByDescending(r => r.Alert.ResolvedAt ?? r.Alert.FiredAt)];
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"dashboard/{name}")
            ?? throw new InvalidOperationException($"Dashboard asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), $"{contentType}; charset=utf-8");
    }
}
