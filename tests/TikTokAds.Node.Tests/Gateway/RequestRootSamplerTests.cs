using System.Diagnostics;
using OpenTelemetry.Trace;
using TikTokAds.Node.Observability;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Only a request starts a trace; grain calls follow the trace above them, or are not traced.</summary>
public sealed class RequestRootSamplerTests
{
    private const string GrainCall = "TikTokAds.Contracts.Events.IPixelGrain/AcceptAsync";

    private static SamplingDecision Decide(ActivityContext parent, string name, ActivityKind kind)
        => RequestRootSampler.ForNode().ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), name, kind)).Decision;

    private static ActivityContext Parent(bool sampled, bool remote)
        => new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: remote);

    [Fact]
    public void An_incoming_request_without_a_parent_starts_a_trace()
        => Assert.Equal(SamplingDecision.RecordAndSample, Decide(default, RequestRootSampler.RequestActivityName, ActivityKind.Server));

    [Theory]
    [InlineData(ActivityKind.Client)]
    [InlineData(ActivityKind.Server)]
    public void A_grain_call_with_no_request_above_it_starts_none(ActivityKind kind)
        => Assert.Equal(SamplingDecision.Drop, Decide(default, GrainCall, kind));

    [Fact]
    public void A_grain_call_under_a_traced_request_is_traced_and_one_under_an_unsampled_platform_trace_is_not()
    {
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(Parent(sampled: true, remote: false), GrainCall, ActivityKind.Client));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(Parent(sampled: true, remote: true), GrainCall, ActivityKind.Server));
        Assert.Equal(SamplingDecision.Drop, Decide(Parent(sampled: false, remote: true), RequestRootSampler.RequestActivityName, ActivityKind.Server));
    }
}
