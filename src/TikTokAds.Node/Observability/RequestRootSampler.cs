using System.Diagnostics;
using OpenTelemetry.Trace;

namespace TikTokAds.Node.Observability;

/// <summary>
/// Which new traces start: only an HTTP request's. Everything below a request (its grain calls, TikTok calls)
/// follows the request's decision through <see cref="ParentBasedSampler"/>. A grain call with no request above it
/// starts no trace: the gateway's calls that carry many requests' events at once (each event keeps its own
/// request's trace id), and calls from timers and reminders. Each of those was two activities and their tags per
/// call on the ingest path, and belonged to no trace anyone asked for.
/// </summary>
internal sealed class RequestRootSampler : Sampler
{
    /// <summary>The name ASP.NET Core gives the activity of an incoming request.</summary>
    public const string RequestActivityName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    /// <summary>The sampler the node uses: a request's trace from its root, everything else as its parent decided.</summary>
    public static Sampler ForNode() => new ParentBasedSampler(new RequestRootSampler());

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        => samplingParameters.Kind == ActivityKind.Server && samplingParameters.Name == RequestActivityName ? Sampled : Dropped;
}
