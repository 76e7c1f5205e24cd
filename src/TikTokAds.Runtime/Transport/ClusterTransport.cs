using System.Net;
using System.Net.Http.Headers;
using TikTokAds.Runtime.Internal;
using TikTokAds.Runtime.Membership;

namespace TikTokAds.Runtime.Transport;

/// <summary>Sends a grain call to the node that owns the grain: one signed HTTP request.</summary>
internal sealed class ClusterTransport(HttpClient http, ClusterCallSigner? signer, TransportableExceptions exceptions, string selfNodeId)
{
    public const string CallPath = "/_cluster/call";
    public const string TraceParentHeader = "traceparent";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<(RemoteOutcome Outcome, object? Result)> SendAsync(
        ClusterNode target, GrainId grainId, GrainMethod method, object?[] arguments, CancellationToken cancellationToken)
    {
        if (signer is null)
        {
            throw new ClusterUnavailableException("Cluster:Secret is not configured, so this node cannot call other nodes.");
        }
        var body = CallEnvelope.WriteRequest(grainId, method, arguments);
        var (timestamp, signature) = signer.Sign(target.NodeId, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(target.Address), CallPath))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        };
        request.Headers.Add(ClusterCallSigner.NodeHeader, selfNodeId);
        request.Headers.Add(ClusterCallSigner.TargetHeader, target.NodeId);
        request.Headers.Add(ClusterCallSigner.TimestampHeader, timestamp);
        request.Headers.Add(ClusterCallSigner.SignatureHeader, signature);
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } activity)
        {
            request.Headers.TryAddWithoutValidation(TraceParentHeader, activity.Id);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return (RemoteOutcome.Unreachable, null);
        }
        catch (HttpRequestException ex)
        {
            // The connection broke after the request left: the call may or may not have run there.
            throw new ClusterUnavailableException($"Node {target.NodeId} failed during a call to {grainId}.{method.Name}; it may or may not have run.", ex);
        }
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.MisdirectedRequest:
                case HttpStatusCode.ServiceUnavailable:
                    return (RemoteOutcome.Misdirected, null);
                case HttpStatusCode.OK:
                    var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    return (RemoteOutcome.Completed, CallEnvelope.ReadResponse(method, payload, exceptions, target.NodeId));
                default:
                    throw new ClusterUnavailableException($"Node {target.NodeId} refused a call to {grainId}.{method.Name} with HTTP {(int)response.StatusCode}.");
            }
        }
    }
}
