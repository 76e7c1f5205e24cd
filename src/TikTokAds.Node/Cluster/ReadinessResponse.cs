using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TikTokAds.Node.Cluster;

/// <summary>
/// /health/ready's body: the overall status as before ("Healthy" alone when all is well), then one line per
/// check that is not healthy, so an operator reading it sees why. Degraded answers 200, Unhealthy 503.
/// </summary>
internal static class ReadinessResponse
{
    public static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"\n{e.Key}: {e.Value.Status}: {e.Value.Description}");
        return context.Response.WriteAsync(report.Status + string.Concat(lines), context.RequestAborted);
    }
}
