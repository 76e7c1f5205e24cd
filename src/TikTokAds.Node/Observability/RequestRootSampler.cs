using System.Diagnostics;
using OpenTelemetry.Trace;

namespace TikTokAds.Node.Observability;

/// <summary>
/// Which new traces are recorded: only an HTTP request's. Everything below a request (its grain calls, TikTok
/// calls) follows the request's decision through <see cref="ParentBasedSampler"/>. A grain call with no request
/// above it is not recorded or exported: the gateway's calls that carry many requests' events at once (each event
/// keeps its own request's trace id), and calls from timers and reminders. They were exported as traces of their
/// own that no one asked for. Orleans still creates an unrecorded activity for each of them, which carries the
/// context on: a listener test showed it, so this alone does not take them off the ingest path. The gateway's
/// calls make none on their side and carry no context (<see cref="Gateway.PixelEventQueue"/> suppresses
/// instrumentation around them); the silo still makes a propagation-only activity for each one it receives.
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
