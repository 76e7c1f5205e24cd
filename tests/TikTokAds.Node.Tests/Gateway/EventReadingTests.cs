using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using TikTokAds.Node.Apis.Events;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>How an event body is read: event_time of every JSON kind, and ttclid from the landing URL.</summary>
public sealed class EventReadingTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = GatewayJsonContext.Default,
        Converters = { new StorableStringConverter() },
    };

    private static EventBody Read(string eventTime)
        => JsonSerializer.Deserialize<EventBody>($$"""{"event_type":"Purchase","event_time":{{eventTime}},"event_id":"e1"}""", Options)!;

    [Theory]
    [InlineData("1795300000", 1_795_300_000L)]
    [InlineData("\"2026-11-21T10:00:00Z\"", 1_795_255_200L)]
    [InlineData("\"2026-11-21T12:00:00+02:00\"", 1_795_255_200L)]
    public void Unix_seconds_and_iso_strings_are_times(string json, long seconds)
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), Read(json).EventTime!.Value.ToTime());

    [Theory]
    [InlineData("true")]
    [InlineData("{\"seconds\":1795300000}")]
    [InlineData("[1795300000]")]
    [InlineData("1795300000.5")]
    [InlineData("1e30")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1795300000000")]
    [InlineData("\"yesterday-ish\"")]
    public void Other_values_are_read_but_are_not_times(string json)
    {
        var body = Read(json);

        Assert.NotNull(body.EventTime);
        Assert.Null(body.EventTime.Value.ToTime());
        Assert.Equal("e1", body.EventId); // the rest of the body is read past the value
    }

    [Fact]
    public void A_null_or_missing_event_time_is_absent()
    {
        Assert.Null(Read("null").EventTime);
        Assert.Null(JsonSerializer.Deserialize<EventBody>("""{"event_type":"Purchase"}""", Options)!.EventTime);
    }

    [Theory]
    [InlineData("https://tickets.example/checkout?ttclid=E.C.P.123")]
    [InlineData("https://tickets.example/checkout?a=1&TTCLID=abc&b=2")]
    [InlineData("https://tickets.example/checkout?ttclid=a%20b+c&ttclid=second")]
    [InlineData("https://tickets.example/checkout?ttclid=&ttclid=second&ttclid=")]
    [InlineData("https://tickets.example/checkout?%74tclid=encoded-name")]
    [InlineData("https://tickets.example/checkout?ttclid")]
    [InlineData("https://tickets.example/checkout?other=1")]
    [InlineData("https://tickets.example/checkout")]
    [InlineData("https://tickets.example/checkout?ttclid=x#ttclid=fragment")]
    public void Ttclid_is_read_from_the_url_as_the_query_parser_reads_it(string url)
    {
        var uri = new Uri(url);
        var expected = QueryHelpers.ParseQuery(uri.Query).TryGetValue("ttclid", out var values) ? values.ToString() : null;

        Assert.Equal(expected, EventValidator.TtclidOf(uri));
    }
}
