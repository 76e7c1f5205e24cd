using TikTokAds.Testing;
using TikTokAds.TikTok.Models;
using TikTokAds.TikTok.Tests.Client;

namespace TikTokAds.TikTok.Tests.Sandbox;

/// <summary>The sandbox's per-pixel request rate and 48 h event_id deduplication, on a clock the test moves.</summary>
public sealed class RateLimitAndDedupTests : IAsyncLifetime
{
    private const string Pixel = "RATEPIXEL";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SandboxHost _sandbox = null!;
    private string _token = null!;
    private TikTokBusinessClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(time: _clock);
        _token = _sandbox.AddToken(["7000000000000000091"], [Pixel]);
        _client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.MaxRetries = 0);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private TrackRequest Request(string eventId, string? testCode = null) => new()
    {
        EventSource = "web",
        EventSourceId = Pixel,
        TestEventCode = testCode,
        Data = [TrackEventJson.From(new TrackEvent { Event = "Purchase", EventTime = _clock.GetUtcNow().ToUnixTimeSeconds(), EventId = eventId })],
    };

    [Fact]
    public async Task The_eleventh_request_within_a_second_is_throttled_with_40100()
    {
        var codes = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            codes.Add((await _client.TrackEventsAsync(_token, Request($"r{i}"), CancellationToken.None)).Code);
        }
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterASecond = await _client.TrackEventsAsync(_token, Request("r-next"), CancellationToken.None);

        Assert.Equal(Enumerable.Repeat(0, 10), codes.Take(10));
        Assert.Equal(40100, codes[10]);
        Assert.Equal(TikTokOutcome.Success, afterASecond.Outcome);
        Assert.Equal(1, _sandbox.State.Events.Stats(Pixel).ThrottledRequests);
    }

    [Fact]
    public async Task The_same_event_id_within_48_hours_counts_once_and_after_48_hours_again()
    {
        await _client.TrackEventsAsync(_token, Request("purchase_1001"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(47));
        await _client.TrackEventsAsync(_token, Request("purchase_1001"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(2));
        await _client.TrackEventsAsync(_token, Request("purchase_1001"), CancellationToken.None);

        var stats = _sandbox.State.Events.Stats(Pixel);

        Assert.Equal(3, stats.Events);
        Assert.Equal(2, stats.UniqueEvents);
        Assert.Equal(1, stats.DuplicateEvents);
    }

    [Fact]
    public async Task Test_events_are_recorded_with_their_code_and_kept_out_of_deduplication()
    {
        await _client.TrackEventsAsync(_token, Request("purchase_7", testCode: "TEST123"), CancellationToken.None);
        await _client.TrackEventsAsync(_token, Request("purchase_7"), CancellationToken.None);

        var events = await _sandbox.EventsAsync(Pixel);

        Assert.Equal("TEST123", (string?)events[0]!["test_event_code"]);
        Assert.All(events, e => Assert.False((bool)e!["duplicate"]!));
    }
}
