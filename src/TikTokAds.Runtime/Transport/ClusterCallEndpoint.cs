using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TikTokAds.Runtime.Internal;

namespace TikTokAds.Runtime.Transport;

/// <summary>The receiving side of node-to-node calls: verify, check ownership, run the turn, answer.</summary>
internal static class ClusterCallEndpoint
{
    public static async Task HandleAsync(HttpContext context, GrainRuntime runtime)
    {
        var signer = runtime.Signer;
        if (signer is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        var headers = context.Request.Headers;
        var target = headers[ClusterCallSigner.TargetHeader].ToString();
        if (!signer.Verify(headers[ClusterCallSigner.TimestampHeader], headers[ClusterCallSigner.SignatureHeader], target, body))
        {
            RuntimeLog.RejectedUnsignedCall(runtime.Logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!runtime.IsServing)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        if (target != runtime.NodeId)
        {
            // Signed for an earlier incarnation at this address: the caller's view is stale.
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return;
        }

        GrainTypeInfo? type;
        GrainMethod? method;
        GrainId grainId;
        object?[] arguments;
        try
        {
            using var document = JsonDocument.Parse(body);
            var (grain, key, methodName, args) = CallEnvelope.ReadRequest(document);
            type = runtime.Registry.Find(grain);
            method = type is not null && type.Methods.TryGetValue(methodName, out var found) ? found : null;
            if (type is null || method is null || key.Length == 0)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            grainId = new GrainId(type.Name, key);
            arguments = CallEnvelope.ReadArguments(method, args);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        byte[] answer;
        // ASP.NET continues an incoming traceparent when it traces requests; when it does not, do it here.
        using var trace = Activity.Current is null && headers[ClusterTransport.TraceParentHeader].ToString() is { Length: > 0 } parent
            ? new Activity("cluster.call").SetParentId(parent).Start()
            : null;
        try
        {
            var result = await runtime.ExecuteOwnedAsync(type, grainId, method, arguments);
            answer = CallEnvelope.WriteResult(method, result);
        }
        catch (NotOwnerException)
        {
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return;
        }
#pragma warning disable CA1031 // The grain's exception is the caller's answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            answer = CallEnvelope.WriteError(ex);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength : 1024);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
