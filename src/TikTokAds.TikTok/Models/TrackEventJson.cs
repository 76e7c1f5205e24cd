using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TikTokAds.TikTok.Models;

/// <summary>
/// One event of event/track/'s data, kept as the UTF-8 JSON that goes into the request. An accepted event waits in a
/// pixel's buffer and the embedded store until TikTok has it; as one array it is one object for the garbage collector
/// to copy, where a <see cref="TrackEvent"/> is a tree of some twenty objects and strings. It is written into a
/// request as it is, without being serialized again.
/// </summary>
[JsonConverter(typeof(TrackEventJsonConverter))]
public sealed class TrackEventJson
{
    private readonly byte[] _utf8;

    private TrackEventJson(byte[] utf8, long eventTime)
    {
        _utf8 = utf8;
        EventTime = eventTime;
    }

    /// <summary>The event's event_time, Unix seconds, UTC.</summary>
    public long EventTime { get; }

    /// <summary>The JSON object, UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>The event as TikTok's serializer writes it.</summary>
    public static TrackEventJson From(TrackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(JsonSerializer.SerializeToUtf8Bytes(e, TikTokJsonContext.Default.TrackEvent), e.EventTime);
    }

    /// <summary>
    /// An event read back from storage, written again as TikTok's serializer writes it (a store may have reordered or
    /// spaced it), so a request rebuilt from stored rows is the JSON that was sent.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not a TikTok event.</exception>
    public static TrackEventJson Parse(ReadOnlySpan<byte> utf8)
        => From(JsonSerializer.Deserialize(utf8, TikTokJsonContext.Default.TrackEvent) ?? throw new JsonException("A stored event payload is null."));

    /// <summary>The event as objects, for readers that need its fields (match keys, tests); the hot path never does.</summary>
    public TrackEvent Read() => JsonSerializer.Deserialize(_utf8, TikTokJsonContext.Default.TrackEvent)!;

    public override string ToString() => Encoding.UTF8.GetString(_utf8);
}

/// <summary>Writes the kept JSON as it is; reads an event through <see cref="TrackEvent"/>'s own contract.</summary>
public sealed class TrackEventJsonConverter : JsonConverter<TrackEventJson>
{
    public override TrackEventJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => TrackEventJson.From(JsonSerializer.Deserialize(ref reader, TikTokJsonContext.Default.TrackEvent) ?? throw new JsonException("An event is null."));

    public override void Write(Utf8JsonWriter writer, TrackEventJson value, JsonSerializerOptions options)
        => writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
