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
    /// An event read back from storage, kept as stored. PostgreSQL's jsonb gives its keys in its own order and spaces
    /// it; TikTok reads that JSON as it reads what was accepted, so the event goes into a request as it is. Only its
    /// event_time is read, in one pass that skips every other value. Before, each event was parsed into a
    /// <see cref="TrackEvent"/> and written again: in a backlog's reload that was 96 % of the node's allocations
    /// (docs/BENCHMARKS.md, thirty-fifth pass).
    /// </summary>
    /// <exception cref="JsonException">The bytes are not one JSON object with a whole-number event_time.</exception>
    public static TrackEventJson Stored(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A stored event payload is not a JSON object.");
        }
        long? eventTime = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEventTime = reader.ValueTextEquals("event_time"u8);
            reader.Read();
            if (!isEventTime)
            {
                reader.Skip();
            }
            else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds))
            {
                eventTime = seconds;
            }
            else
            {
                throw new JsonException("A stored event payload's event_time is not a whole number of seconds.");
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("A stored event payload is not one JSON object.");
        }
        return new(utf8, eventTime ?? throw new JsonException("A stored event payload has no event_time."));
    }

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
