using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TikTokAds.Node.Apis.Events;

/// <summary>
/// event_time as it came: Unix seconds, an ISO 8601 string, or anything else. Anything else is kept as
/// "not a time", so the validator refuses it with its own message (40002, event_time) instead of the body reader
/// refusing the whole body. Read without a JsonDocument per event.
/// </summary>
[JsonConverter(typeof(EventTimeConverter))]
public readonly record struct EventTime
{
    private readonly long _seconds;
    private readonly string? _text;
    private readonly bool _isSeconds;

    private EventTime(long seconds, string? text, bool isSeconds) => (_seconds, _text, _isSeconds) = (seconds, text, isSeconds);

    public static EventTime FromSeconds(long seconds) => new(seconds, null, true);

    public static EventTime FromText(string text) => new(0, text, false);

    /// <summary>A number that is not a whole 64-bit one, a boolean, an object or an array.</summary>
    public static EventTime Unreadable => default;

    /// <summary>The time meant: seconds from 1 to 99,999,999,998 (not milliseconds), or a string DateTimeOffset reads.</summary>
    public DateTimeOffset? ToTime()
    {
        if (_isSeconds)
        {
            return _seconds is > 0 and < 99_999_999_999 ? DateTimeOffset.FromUnixTimeSeconds(_seconds) : null;
        }
        return _text is not null && DateTimeOffset.TryParse(_text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }

    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (_isSeconds)
        {
            writer.WriteNumberValue(_seconds);
        }
        else if (_text is not null)
        {
            writer.WriteStringValue(_text);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Reads <see cref="EventTime"/>; a value of any other kind is skipped and read as unreadable.</summary>
public sealed class EventTimeConverter : JsonConverter<EventTime>
{
    public override EventTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var seconds) ? EventTime.FromSeconds(seconds) : EventTime.Unreadable;
            case JsonTokenType.String:
                return EventTime.FromText(reader.GetString()!);
            default:
                reader.Skip();
                return EventTime.Unreadable;
        }
    }

    public override void Write(Utf8JsonWriter writer, EventTime value, JsonSerializerOptions options) => value.WriteTo(writer);
}
