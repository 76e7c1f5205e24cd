using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts.Events;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>One trace id links the platform's request, the pixel grain and TikTok's request_id.</summary>
public sealed class TraceTests : IClassFixture<TraceTests.WatchedGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";
    private readonly WatchedGatewayFactory _factory;

    public TraceTests(WatchedGatewayFactory factory)
    {
        // Successful TikTok calls are logged at Debug; this class's node logs them (before its host is built).
        factory.Settings["Logging:LogLevel:TikTokAds.TikTok"] = "Debug";
        _factory = factory;
    }

    private static (string TraceId, string Header) NewTrace()
    {
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return (traceId, $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
    }

    [Fact]
    public async Task An_event_status_carries_the_trace_of_the_request_that_sent_it_beside_tiktoks_request_id()
    {
        var (key, pixel, _) = await _factory.PixelAsync("Traced");
        using var client = _factory.As(key);
        var (traceId, header) = NewTrace();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Api}/events") { Content = JsonContent.Create(GatewayFactory.Event(1)) };
        request.Headers.Add("traceparent", header);
        using var response = await client.SendAsync(request);
        await _factory.WaitForSandboxAsync(pixel, 1);
        await Task.Delay(500);
        var status = (await client.GetFromJsonAsync<JsonObject>($"{Api}/events/completepayment_1"))!["events"]![0]!;

        Assert.Equal(traceId, (string?)status["trace_id"]);
        Assert.Equal(_factory.Sandbox.State.Events.Requests(pixel).Single(r => r.Code == 0).RequestId, (string?)status["request_id"]);
    }

    [Fact]
    public async Task The_gateways_call_that_carries_requests_events_to_their_pixel_carries_no_trace_of_its_own()
    {
        var (key, _, _) = await _factory.PixelAsync("Untraced accepts");
        using var client = _factory.As(key);
        var (traceId, header) = NewTrace();
        var sent = GatewayFactory.Event(3);
        sent["event_id"] = $"untraced_{traceId}";

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Api}/events") { Content = JsonContent.Create(sent) };
        request.Headers.Add("traceparent", header);
        using var response = await client.SendAsync(request);
        // A 202 means stored: the accept call has been through the silo's filters and the status is there to read.
        response.EnsureSuccessStatusCode();
        var status = (await client.GetFromJsonAsync<JsonObject>($"{Api}/events/untraced_{traceId}"))!["events"]![0]!;

        // The event keeps its request's trace; the call, which may carry many requests' events, starts none: Orleans
        // would otherwise create an activity for it and send its context along, for a trace that is never recorded.
        Assert.Equal(traceId, (string?)status["trace_id"]);
        Assert.True(_factory.Accepts.TryGetValue($"untraced_{traceId}", out var context), "the accept call was not seen");
        Assert.Null(context);
    }

    [Fact]
    public async Task In_test_mode_the_tiktok_call_is_logged_under_the_platforms_trace_with_tiktoks_request_id()
    {
        var (key, _, _) = await _factory.PixelAsync("Traced test mode", new JsonObject { ["test_mode"] = true, ["test_event_code"] = "TEST1" });
        using var client = _factory.As(key);
        var (traceId, header) = NewTrace();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Api}/events") { Content = JsonContent.Create(GatewayFactory.Event(2)) };
        request.Headers.Add("traceparent", header);
        using var response = await client.SendAsync(request);
        var requestId = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["request_id"]!;

        Assert.True(_factory.Logs.Lines.Any(line => line.Contains($"trace={traceId}", StringComparison.Ordinal)
            && line.Contains("TikTok event/track", StringComparison.Ordinal) && line.Contains(requestId, StringComparison.Ordinal)),
            string.Join('\n', _factory.Logs.Lines.Where(l => l.Contains(requestId, StringComparison.Ordinal) || l.Contains(traceId, StringComparison.Ordinal))));
    }

    /// <summary>A node whose silo notes the trace context (W3C traceparent) each pixel's accept call arrived with, by event id.</summary>
    public sealed class WatchedGatewayFactory : GatewayFactory
    {
        public ConcurrentDictionary<string, string?> Accepts { get; } = new(StringComparer.Ordinal);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IIncomingGrainCallFilter>(new AcceptWatch(Accepts)));
        }
    }

    private sealed class AcceptWatch(ConcurrentDictionary<string, string?> accepts) : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.MethodName == nameof(IPixelGrain.AcceptAsync) && context.Request.GetArgument(0) is IReadOnlyList<PixelEvent> events)
            {
                foreach (var e in events)
                {
                    accepts[e.EventId] = RequestContext.Get("traceparent") as string;
                }
            }
            return context.Invoke();
        }
    }
}
