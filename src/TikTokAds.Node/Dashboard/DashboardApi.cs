using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Node.Auth;
using TikTokAds.Runtime;
using TikTokAds.Runtime.Hosting;
using TikTokAds.Runtime.Statistics;

namespace TikTokAds.Node.Dashboard;

/// <summary>
/// /dashboard: an operator page that polls JSON every 2 s. Each node reports itself at /dashboard/api/local;
/// the node serving the page gathers the others with the operator key every node shares.
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
        dashboard.MapGet("/api/local", Local);
        dashboard.MapGet("/api/overview", OverviewAsync);
        dashboard.MapGet("/api/reminders", RemindersAsync);
        dashboard.MapGet("/api/pixels", PixelsAsync);
        dashboard.MapGet("/api/pixels/{organizerId}/{pixelId}/events", (string organizerId, string pixelId, IGrainFactory grains)
            => grains.GetGrain<IPixelGrain>(IPixelGrain.KeyOf(organizerId, pixelId)).GetLatestAsync(50));
        dashboard.MapGet("/api/audiences", AudiencesAsync);
        return app;
    }

    /// <summary>A browser's login: the operator key once, then an HttpOnly cookie derived from it.</summary>
    private static IResult Login(HttpContext context, IOptions<AdminOptions> admin)
    {
        var key = context.Request.Form["key"].ToString();
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

    private static NodeReport Local(IGrainRuntimeInfo runtime, DashboardSampler sampler, RecentProblems problems)
    {
        var stats = runtime.GetStatistics();
        return new NodeReport(
            runtime.NodeId, runtime.Membership.Self.Address, runtime.Mode, stats.StartedAt,
            stats.Activations.ToDictionary(a => a.GrainType, a => a.Count),
            [.. stats.Methods.Select(m => new MethodReport(m.GrainType, m.Method, m.Calls, m.Failures, m.MeanMs, m.P99Ms))],
            sampler.Samples, problems.Latest);
    }

    private static async Task<OverviewResponse> OverviewAsync(IGrainRuntimeInfo runtime, DashboardSampler sampler, RecentProblems problems, IHttpClientFactory http, IOptions<AdminOptions> admin, CancellationToken cancellationToken)
    {
        var members = await runtime.Membership.ReadMembersAsync(cancellationToken);
        var nodes = await Task.WhenAll(members.Take(20).Select(async m =>
        {
            NodeReport? report = null;
            if (m.NodeId == runtime.NodeId)
            {
                report = Local(runtime, sampler, problems);
            }
            else if (m.Status == Runtime.Membership.MemberStatus.Active)
            {
                report = await FetchAsync(http, m.Address, admin.Value.ApiKey, cancellationToken);
            }
            return new NodeView(m.NodeId, m.Address, MemberStatusText.Of(m.Status), m.StartedAt, m.LastHeartbeat, report is not null, report);
        }));
        return new OverviewResponse(DateTimeOffset.UtcNow, runtime.NodeId, nodes);
    }

    private static async Task<NodeReport?> FetchAsync(IHttpClientFactory http, string address, string? operatorKey, CancellationToken cancellationToken)
    {
        try
        {
            using var client = http.CreateClient("dashboard");
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), "/dashboard/api/local"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
            using var response = await client.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(DashboardJsonContext.Default.NodeReport, cancellationToken) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<RemindersResponse> RemindersAsync(int? page, IGrainRuntimeInfo runtime, CancellationToken cancellationToken)
    {
        const int pageSize = 50;
        var current = Math.Max(page ?? 1, 1);
        var (reminders, total) = await runtime.Reminders.ReadPageAsync((current - 1) * pageSize, pageSize, cancellationToken);
        return new RemindersResponse(total, current, pageSize, [.. reminders.Select(r => new ReminderView(r.GrainId.Type, r.GrainId.Key, r.Name, r.NextDue, r.Period.TotalSeconds))]);
    }

    private static async Task<PixelRow[]> PixelsAsync(IGrainFactory grains)
    {
        var rows = new List<PixelRow>();
        foreach (var organizer in await grains.GetGrain<IOrganizerDirectoryGrain>(IOrganizerDirectoryGrain.Key).ListAsync())
        {
            foreach (var connection in await grains.GetGrain<IOrganizerGrain>(organizer.Id).GetConnectionsAsync())
            {
                var s = await grains.GetGrain<IPixelGrain>(IPixelGrain.KeyOf(organizer.Id, connection.PixelId)).GetStatusAsync();
                rows.Add(new PixelRow(organizer.Id, organizer.Name, connection.PixelId, connection.Status,
                    s.Counts.GetValueOrDefault(EventStatuses.Accepted) + s.Counts.GetValueOrDefault(EventStatuses.Delivered) + s.Counts.GetValueOrDefault(EventStatuses.Failed),
                    s.Counts.GetValueOrDefault(EventStatuses.Delivered), s.Counts.GetValueOrDefault(EventStatuses.Failed), s.Counts.GetValueOrDefault(EventStatuses.Skipped),
                    s.Counts.GetValueOrDefault(EventStatuses.Duplicate),
                    s.BufferDepth, s.BudgetLeftToday, s.LastFlushAt, s.LastError));
            }
        }
        return [.. rows];
    }

    private static async Task<AudienceRow[]> AudiencesAsync(IGrainFactory grains)
    {
        var rows = new List<AudienceRow>();
        foreach (var organizer in await grains.GetGrain<IOrganizerDirectoryGrain>(IOrganizerDirectoryGrain.Key).ListAsync())
        {
            foreach (var id in await grains.GetGrain<IAudienceDirectoryGrain>(organizer.Id).ListAsync())
            {
                if (await grains.GetGrain<IAudienceGrain>(IAudienceGrain.KeyOf(organizer.Id, id)).GetAsync() is { } view)
                {
                    rows.Add(new AudienceRow(organizer.Id, organizer.Name, view));
                }
            }
        }
        return [.. rows];
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"dashboard/{name}")
            ?? throw new InvalidOperationException($"Dashboard asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), $"{contentType}; charset=utf-8");
    }
}
