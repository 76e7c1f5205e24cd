using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// Every error the public API returns: a ProblemDetails with a stable machine-readable <c>code</c> (also
/// in <c>type</c>) and a message for people.
/// </summary>
internal static class Problems
{
    public const string TypePrefix = "urn:tiktokads:problem:";

    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + code, extensions: all);
    }

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string? detail = null)
        => TypedResults.ValidationProblem(errors, detail ?? "The request has invalid fields; see errors.", type: TypePrefix + "invalid_request",
            title: "Invalid request", extensions: new Dictionary<string, object?> { ["code"] = "invalid_request" });

    public static ProblemHttpResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "not_found", "Not found", detail);

    public static ProblemHttpResult PixelNotConnected(string pixelId) => NotFound($"Pixel {pixelId} is not connected.");

    public static ProblemWithRetryAfter Unavailable(string code, string detail, int retryAfterSeconds = 5)
        => new(Create(StatusCodes.Status503ServiceUnavailable, code, "Temporarily unavailable", detail), retryAfterSeconds);

    public static async Task WriteUnauthorizedAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (!context.Response.Headers.ContainsKey("WWW-Authenticate"))
        {
            context.Response.Headers.Append("WWW-Authenticate", "Bearer");
        }
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = detail,
                Type = TypePrefix + "unauthorized",
                Extensions = { ["code"] = "unauthorized" },
            },
        });
    }
}

/// <summary>A problem answer that also tells the client when to come back (503 and 429).</summary>
internal sealed class ProblemWithRetryAfter(ProblemHttpResult problem, int retryAfterSeconds) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => problem.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problem.ExecuteAsync(httpContext);
    }
}
