using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TikTokAds.Runtime;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// The one place exceptions become answers: unreadable requests are 400/413, outages (database, cluster,
/// timeouts) are 503 with Retry-After, and anything else is a 500 that names no internals.
/// </summary>
internal sealed class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "invalid_request",
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Invalid request", Unwrap(bad)),
            ClusterUnavailableException or GrainCallTimeoutException or NpgsqlException or TimeoutException or InconsistentStateException =>
                (StatusCodes.Status503ServiceUnavailable, "unavailable", "Temporarily unavailable", "The service cannot take this request right now; nothing was accepted. Retry after the indicated delay."),
            RemoteGrainException remote when remote.ExceptionType.Contains("Npgsql", StringComparison.Ordinal) || remote.ExceptionType.Contains("Timeout", StringComparison.Ordinal) =>
                (StatusCodes.Status503ServiceUnavailable, "unavailable", "Temporarily unavailable", "The service cannot take this request right now; nothing was accepted. Retry after the indicated delay."),
            _ => (StatusCodes.Status500InternalServerError, "internal_error", "Internal error", "An unexpected error occurred; it has been logged."),
        };
        if (status >= 500)
        {
            GatewayLog.RequestFailed(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "", status);
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = Problems.TypePrefix + code,
                Extensions = { ["code"] = code },
            },
        });
    }

    // The binder's own message says which parameter failed; the JSON reader's says where.
    private static string Unwrap(BadHttpRequestException exception)
        => exception.InnerException is System.Text.Json.JsonException json ? $"{exception.Message} {json.Message}" : exception.Message;
}
