using System.Text;
using System.Text.Json;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok.Tests.Client;

/// <summary>An event kept as its JSON goes into event/track/ exactly as the event itself would have been written.</summary>
public sealed class TrackEventJsonTests
{
    private static readonly TrackEvent Purchase = new()
    {
        Event = "CompletePayment",
        EventTime = 1_795_300_000,
        EventId = "order-7303",
        User = new TrackUser { Email = new string('a', 64), Phone = new string('b', 64), Ip = "203.0.113.9", UserAgent = "Mozilla/5.0 \"quoted\" é" },
        Properties = new TrackProperties { Currency = "EUR", Value = 129.50m, Contents = [new TrackContent { ContentId = "seat-A12", Price = 64.75m, Quantity = 2 }] },
        Page = new TrackPage("https://tickets.example/checkout?ttclid=E.C.P.x", null),
    };

    [Fact]
    public void A_request_carrying_kept_events_is_byte_for_byte_the_request_of_the_events_themselves()
    {
        var kept = new TrackRequest { EventSource = "web", EventSourceId = "PIXEL1", Data = [TrackEventJson.From(Purchase), TrackEventJson.From(Purchase with { EventId = "order-7304", User = null })], TestEventCode = "TEST1" };

        var written = JsonSerializer.Serialize(kept, TikTokJsonContext.Default.TrackRequest);

        var expected = "{\"event_source\":\"web\",\"event_source_id\":\"PIXEL1\",\"data\":["
            + JsonSerializer.Serialize(Purchase, TikTokJsonContext.Default.TrackEvent) + ","
            + JsonSerializer.Serialize(Purchase with { EventId = "order-7304", User = null }, TikTokJsonContext.Default.TrackEvent)
            + "],\"test_event_code\":\"TEST1\"}";
        Assert.Equal(expected, written);
        using var parsed = JsonDocument.Parse(written);
        Assert.Equal("129.50", parsed.RootElement.GetProperty("data")[0].GetProperty("properties").GetProperty("value").GetRawText());
    }

    [Fact]
    public void An_event_read_back_from_a_store_that_reordered_and_spaced_it_is_written_as_it_was_sent()
    {
        var sent = TrackEventJson.From(Purchase);
        // PostgreSQL's jsonb orders keys by length and puts spaces after separators.
        var stored = """{"page": {"url": "https://tickets.example/checkout?ttclid=E.C.P.x"}, "user": {"ip": "203.0.113.9", "email": "%E", "phone": "%P", "user_agent": "Mozilla/5.0 \"quoted\" \u00e9"}, "event": "CompletePayment", "event_id": "order-7303", "event_time": 1795300000, "properties": {"value": 129.50, "currency": "EUR", "contents": [{"price": 64.75, "quantity": 2, "content_id": "seat-A12"}]}}"""
            .Replace("%E", new string('a', 64)).Replace("%P", new string('b', 64));

        var read = TrackEventJson.Parse(Encoding.UTF8.GetBytes(stored));

        Assert.Equal(sent.ToString(), read.ToString());
        Assert.Equal(1_795_300_000, read.EventTime);
        Assert.Equal(Purchase.User, read.Read().User);
        Assert.Equal("seat-A12", Assert.Single(read.Read().Properties!.Contents!).ContentId);
    }

    [Fact]
    public void A_request_body_read_by_the_client_keeps_each_event()
    {
        var body = JsonSerializer.Serialize(new TrackRequest { EventSource = "web", EventSourceId = "PIXEL1", Data = [TrackEventJson.From(Purchase)] }, TikTokJsonContext.Default.TrackRequest);

        var read = JsonSerializer.Deserialize(body, TikTokJsonContext.Default.TrackRequest)!;

        Assert.Equal(TrackEventJson.From(Purchase).ToString(), Assert.Single(read.Data).ToString());
    }

    [Fact]
    public void Stored_bytes_that_are_not_an_event_are_refused()
    {
        Assert.ThrowsAny<JsonException>(() => TrackEventJson.Parse("null"u8));
        Assert.ThrowsAny<JsonException>(() => TrackEventJson.Parse("{\"event_time\": \"soon\"}"u8));
        Assert.ThrowsAny<JsonException>(() => TrackEventJson.Parse("{\"event\":"u8));
    }
}
