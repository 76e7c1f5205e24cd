using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Orleans.Runtime.Messaging;
using TikTokAds.Contracts;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// The one place exceptions become answers: unreadable requests (including what the server's own readers
/// throw for malformed bytes) are 400/413, outages (database, cluster, timeouts) are 503 with Retry-After,
/// and anything else is a 500 that names no internals.
/// </summary>
internal sealed class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "invalid_request",
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Invalid request", Unwrap(bad)),
            _ when IsUnreadableRequest(exception) =>
                (StatusCodes.Status400BadRequest, "invalid_request", "Invalid request", $"The request could not be read: {exception.Message}"),
            _ when IsOutage(exception) =>
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

    /// <summary>
    /// The server's and ASP.NET's own readers of the client's bytes throw these, not a BadHttpRequestException, for
    /// some malformed input: Kestrel for a NUL in a chunked trailer (InvalidOperationException) or a chunk size that
    /// overflows (IOException), the multipart reader for a body that ends inside a part. Where it was thrown tells
    /// them from a bug of ours.
    /// </summary>
    private static bool IsUnreadableRequest(Exception exception)
        => exception is IOException or InvalidOperationException or InvalidDataException
            && exception.TargetSite?.DeclaringType?.Namespace is { } thrownIn
            && (thrownIn.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) || thrownIn.StartsWith("Microsoft.AspNetCore.WebUtilities", StringComparison.Ordinal));

    /// <summary>
    /// A dependency or a node is away, not a bug: the database (directly, or reported by a grain on any node),
    /// a silo that died or is shutting down, a grain call that timed out, or a state write that lost a race.
    /// </summary>
    private static bool IsOutage(Exception exception) => exception is ServiceUnavailableException
        or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or TimeoutException
        or Orleans.Storage.InconsistentStateException
        || Cluster.OutageFilter.IsDatabaseOutage(exception)
        || exception is Orleans.Serialization.UnavailableExceptionFallbackException { ExceptionType: { } type } && type.StartsWith("Npgsql.", StringComparison.Ordinal);

    // The binder's own message says which parameter failed; the JSON reader's says where.
    // A message of our own (a NUL, say) does not carry the path, so it is added here.
    private static string Unwrap(BadHttpRequestException exception)
        => exception.InnerException switch
        {
            System.Text.Json.JsonException { Path: { } path } json when !json.Message.Contains("Path:", StringComparison.Ordinal) => $"{exception.Message} {json.Message} Path: {path}.",
            System.Text.Json.JsonException json => $"{exception.Message} {json.Message}",
            _ => exception.Message,
        };
}
