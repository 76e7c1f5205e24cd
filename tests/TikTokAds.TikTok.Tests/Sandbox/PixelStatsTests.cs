using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Sandbox.State;
using TikTokAds.Testing;
using TikTokAds.TikTok.Models;
using TikTokAds.TikTok.Tests.Client;

namespace TikTokAds.TikTok.Tests.Sandbox;

/// <summary>pixel/event/stats/ through the typed client: counted from what the sandbox received, by UTC day of event_time.</summary>
public sealed class PixelStatsTests : IAsyncLifetime
{
    private const string Pixel = "STATSPIXEL";
    private const string Advertiser = "7000000000000000071";
    private SandboxHost _sandbox = null!;
    private string _token = null!;
    private TikTokBusinessClient _client = null!;
    private string _pixelId = null!;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync();
        _token = _sandbox.AddToken([Advertiser], [Pixel]);
        _client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.MaxRetries = 0);
        var listed = await _client.ListPixelsAsync(_token, Advertiser, Pixel, CancellationToken.None);
        _pixelId = listed.Data!.Pixels!.Single().PixelId!;
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task SendAsync(string name, IEnumerable<string> eventIds, DateTimeOffset eventTime, string? testCode = null, bool ttclid = false)
    {
        foreach (var chunk in eventIds.Chunk(1000))
        {
            var answer = await _client.TrackEventsAsync(_token, new TrackRequest
            {
                EventSource = "web",
                EventSourceId = Pixel,
                TestEventCode = testCode,
                Data = [.. chunk.Select(id => TrackEventJson.From(new TrackEvent { Event = name, EventTime = eventTime.ToUnixTimeSeconds(), EventId = id, User = ttclid ? new TrackUser { Ttclid = "E.C.P." + id } : null }))],
            }, CancellationToken.None);
            Assert.True(answer.IsSuccess, answer.ToString());
        }
    }

    private async Task<IReadOnlyList<PixelEventTypeStats>> StatsAsync(DateOnly start, DateOnly end)
    {
        var answer = await _client.GetPixelEventStatsAsync(_token, Advertiser, [_pixelId], start, end, CancellationToken.None);
        Assert.True(answer.IsSuccess, answer.ToString());
        return answer.Data!.List!.Single(p => p.PixelId == _pixelId).Statistics!;
    }

    // The rule docs/SANDBOX.md states, written out again here so the sandbox's own code is not its judge.
    private static bool Dropped(string eventId, double share)
        => BitConverter.ToUInt64([.. SHA256.HashData(Encoding.UTF8.GetBytes(eventId)).Take(8).Reverse()]) / Math.Pow(2, 64) < share;

    [Fact]
    public async Task Server_counts_are_per_utc_day_of_event_time_without_duplicates_or_test_events()
    {
        var now = DateTimeOffset.UtcNow;
        var yesterday = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(-12), TimeSpan.Zero);
        await SendAsync("Purchase", Enumerable.Range(0, 30).Select(i => $"p{i}"), now, ttclid: true);
        await SendAsync("Purchase", Enumerable.Range(0, 5).Select(i => $"p{i}"), now);
        await SendAsync("Purchase", Enumerable.Range(100, 7).Select(i => $"p{i}"), now, testCode: "TEST123");
        await SendAsync("ShowTicket", Enumerable.Range(0, 4).Select(i => $"s{i}"), now);
        await SendAsync("Purchase", Enumerable.Range(200, 11).Select(i => $"p{i}"), yesterday);

        var today = await StatsAsync(Today, Today);
        var before = await StatsAsync(Today.AddDays(-1), Today.AddDays(-1));
        var both = await StatsAsync(Today.AddDays(-1), Today);

        var purchase = today.Single(s => s.PixelEventType == "Purchase");
        Assert.Equal((30, 30, 0, 30), (purchase.ServerEventTotalCount, purchase.TotalCount, purchase.BrowserEventTotalCount, purchase.AttributedCount));
        Assert.Equal(0, purchase.PreviewCount);
        Assert.Equal(4, today.Single(s => s.CustomEventType == "ShowTicket").ServerEventTotalCount);
        Assert.Equal(11, before.Single().ServerEventTotalCount);
        Assert.Equal(41, both.Single(s => s.EventName == "Purchase").ServerEventTotalCount);
    }

    [Fact]
    public async Task A_drop_share_leaves_out_exactly_the_events_whose_event_id_hash_falls_under_it_and_zero_restores_them()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"evt-{i}").ToList();
        await SendAsync("ViewContent", ids, DateTimeOffset.UtcNow);
        var expectedDropped = ids.Count(id => Dropped(id, 0.05));

        using (var set = await _sandbox.Admin.PostAsJsonAsync("sandbox/stats-drop", new JsonObject { ["share"] = 0.05 }))
        {
            set.EnsureSuccessStatusCode();
        }
        var dropped = (await StatsAsync(Today, Today)).Single();
        using (var reset = await _sandbox.Admin.PostAsJsonAsync("sandbox/stats-drop", new JsonObject { ["share"] = 0 }))
        {
            reset.EnsureSuccessStatusCode();
        }
        var restored = (await StatsAsync(Today, Today)).Single();

        Assert.InRange(expectedDropped, 60, 140);
        Assert.Equal(ids.Count - expectedDropped, dropped.ServerEventTotalCount);
        Assert.Equal(ids.Count, restored.ServerEventTotalCount);
        Assert.True(PixelStatsBook.IsDropped("evt-1", 1.0));
    }

    [Fact]
    public async Task Browser_counts_add_to_the_total_less_the_events_received_both_ways()
    {
        await SendAsync("Purchase", Enumerable.Range(0, 20).Select(i => $"b{i}"), DateTimeOffset.UtcNow);
        using var set = await _sandbox.Admin.PostAsJsonAsync("sandbox/browser-counts", new JsonObject
        {
            ["pixel_code"] = Pixel, ["event"] = "Purchase", ["date"] = Today.ToString("yyyy-MM-dd"), ["count"] = 15, ["deduplicated"] = 12,
        });
        set.EnsureSuccessStatusCode();

        var purchase = (await StatsAsync(Today, Today)).Single();

        Assert.Equal((20, 15, 23), (purchase.ServerEventTotalCount, purchase.BrowserEventTotalCount, purchase.TotalCount));
    }

    [Theory]
    [InlineData("""{"start_date":"2026-01-01","end_date":"2026-01-31"}""", 40002)]
    [InlineData("""{"start_date":"2026-01-05","end_date":"2026-01-04"}""", 40002)]
    [InlineData("""{"start_date":"2026-1-5","end_date":"2026-01-06"}""", 40002)]
    [InlineData("not json", 40002)]
    [InlineData("""{"start_date":"2026-01-01","end_date":"2026-01-30"}""", 0)]
    public async Task Date_ranges_over_30_days_reversed_or_malformed_are_refused_with_40002(string range, int code)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_sandbox.ApiBaseUrl) };
        http.DefaultRequestHeaders.Add("Access-Token", _token);

        var body = await http.GetFromJsonAsync<JsonObject>(
            $"pixel/event/stats/?advertiser_id={Advertiser}&pixel_ids={Uri.EscapeDataString($"[\"{_pixelId}\"]")}&date_range={Uri.EscapeDataString(range)}");

        Assert.Equal(code, (int)body!["code"]!);
    }

    [Fact]
    public async Task More_than_ten_pixels_is_40002_and_a_pixel_the_token_may_not_see_is_40001()
    {
        var otherToken = _sandbox.AddToken(["7000000000000000072"], ["SOMEONEELSE"]);
        var eleven = Enumerable.Range(0, 11).Select(i => SandboxPixelIds.Of($"P{i}")).ToList();
        using var http = new HttpClient { BaseAddress = new Uri(_sandbox.ApiBaseUrl) };
        http.DefaultRequestHeaders.Add("Access-Token", _token);
        var range = Uri.EscapeDataString($$"""{"start_date":"{{Today:yyyy-MM-dd}}","end_date":"{{Today:yyyy-MM-dd}}"}""");

        var tooMany = await http.GetFromJsonAsync<JsonObject>($"pixel/event/stats/?advertiser_id={Advertiser}&pixel_ids={Uri.EscapeDataString(new JsonArray([.. eleven.Select(p => (JsonNode)p)]).ToJsonString())}&date_range={range}");
        var notOurs = await _client.GetPixelEventStatsAsync(_token, Advertiser, [SandboxPixelIds.Of("SOMEONEELSE")], Today, Today, CancellationToken.None);
        var otherAdvertiser = await _client.GetPixelEventStatsAsync(otherToken, Advertiser, [_pixelId], Today, Today, CancellationToken.None);

        Assert.Equal(40002, (int)tooMany!["code"]!);
        Assert.Equal((40001, TikTokOutcome.Authorization), (notOurs.Code, notOurs.Outcome));
        Assert.Equal(40001, otherAdvertiser.Code);
    }

    [Fact]
    public async Task The_client_refuses_ranges_tiktok_would_refuse_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.GetPixelEventStatsAsync(_token, Advertiser, [_pixelId], Today.AddDays(-30), Today, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.GetPixelEventStatsAsync(_token, Advertiser, [.. Enumerable.Repeat(_pixelId, 11)], Today, Today, CancellationToken.None));
        Assert.Equal(0, _sandbox.CallsTo("pixel/event/stats/"));
    }
}
