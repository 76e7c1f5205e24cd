using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox;
using TikTokAds.Testing;
using TikTokAds.TikTok.Models;
using TikTokAds.TikTok.Tests.Client;

namespace TikTokAds.TikTok.Tests.Sandbox;

public sealed class FaultInjectionTests
{
    private const string Pixel = "FAULTPIXEL";

    private static TrackRequest OneEvent() => new()
    {
        EventSource = "web",
        EventSourceId = Pixel,
        Data = [TrackEventJson.From(new TrackEvent { Event = "ViewContent", EventTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() })],
    };

    [Fact]
    public async Task Faults_posted_to_the_admin_endpoint_apply_and_can_be_cleared()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var token = sandbox.AddToken(["7000000000000000033"], [Pixel]);
        var client = TestClients.Create(sandbox.ApiBaseUrl, o => o.MaxRetries = 0);

        using var added = await sandbox.Admin.PostAsJsonAsync("sandbox/faults", new JsonObject { ["path"] = "event/track/", ["http_status"] = 502 });
        var faulted = await client.TrackEventsAsync(token, OneEvent(), CancellationToken.None);
        using var cleared = await sandbox.Admin.DeleteAsync(new Uri("sandbox/faults", UriKind.Relative));
        var healthy = await client.TrackEventsAsync(token, OneEvent(), CancellationToken.None);

        Assert.True(added.IsSuccessStatusCode);
        Assert.Equal(502, faulted.HttpStatus);
        Assert.True(healthy.IsSuccess);
    }

    [Fact]
    public async Task Faults_from_configuration_apply_at_their_rate_and_latency()
    {
        await using var sandbox = await SandboxHost.StartAsync(o =>
        {
            o.RequestsPerSecondPerPixel = 100_000;
            o.Faults.Add(new FaultRule { Path = "event/track/", Code = 50002, Rate = 0.3 });
            o.Faults.Add(new FaultRule { Path = "advertiser/info/", LatencyMs = 200 });
        });
        var token = sandbox.AddToken(["7000000000000000034"], [Pixel]);
        // Breaker off: a random run of faults must not turn answers into the client's own circuit-open code.
        var client = TestClients.Create(sandbox.ApiBaseUrl, o => { o.MaxRetries = 0; o.BreakerMinimumThroughput = 10_000; });

        var codes = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            codes.Add((await client.TrackEventsAsync(token, OneEvent(), CancellationToken.None)).Code);
        }
        var clock = Stopwatch.StartNew();
        await client.GetAdvertiserInfoAsync(token, ["7000000000000000034"], CancellationToken.None);

        Assert.InRange(codes.Count(c => c == 50002), 50, 130);
        Assert.Equal(300, codes.Count(c => c is 0 or 50002));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(190), $"latency not added: {clock.Elapsed}");
    }
}
