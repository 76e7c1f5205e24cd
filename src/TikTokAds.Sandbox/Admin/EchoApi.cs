using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;

namespace TikTokAds.Sandbox.Admin;

/// <summary>
/// POST /sandbox/echo/{path}: a call-back receiver for demos, which records what it gets, logs that it got it,
/// and answers 200. GET /sandbox/echo lists everything received (GET /sandbox/echo/{path}: what went there).
/// </summary>
internal static class EchoApi
{
    private const int MaxBody = 1024 * 1024;

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/echo/{**path}", ReceiveAsync);
        admin.MapGet("/echo/{**path}", List);
    }

    private static async Task<IResult> ReceiveAsync(string? path, HttpRequest request, SandboxState state, ILoggerFactory logs)
    {
        if (request.ContentLength > MaxBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        state.Echoes.Add(new EchoedRequest(path ?? "", state.Now, headers, body));
        // The body is not logged: call-backs carry people's answers. GET shows it.
        SandboxLog.Echoed(logs.CreateLogger(typeof(EchoApi)), request.Path, body.Length, request.Headers["Idempotency-Key"].ToString());
        return Results.Json(new JsonObject { ["received"] = true });
    }

    private static IResult List(string? path, SandboxState state)
    {
        var list = new JsonArray();
        foreach (var echoed in state.Echoes.List(path))
        {
            list.Add(new JsonObject
            {
                ["path"] = echoed.Path,
                ["received_at"] = echoed.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
                ["headers"] = new JsonObject([.. echoed.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))]),
                ["body"] = Parsed(echoed.Body),
            });
        }
        return Results.Json(new JsonObject { ["requests"] = list });
    }

    /// <summary>A JSON body as JSON, so the list reads as what was sent; anything else as the text it was.</summary>
    private static JsonNode? Parsed(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
