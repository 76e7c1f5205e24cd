using System.Text.Json;
using System.Text.Json.Serialization;

namespace TikTokAds.Node.Gateway;

/// <summary>
/// Reads every string of a request body (values and object keys) as usual but refuses a NUL character,
/// which PostgreSQL's text cannot hold: the request fails as unreadable (400) with the JSON path of the value,
/// before anything is stored, on every storage provider alike.
/// </summary>
internal sealed class StorableStringConverter : JsonConverter<string>
{
    public const string NulMessage = "Text may not contain a NUL character (\\u0000).";

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.String
            ? Storable(reader.GetString()!)
            : throw new JsonException(); // the serializer's own message names the type and the path

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => Storable(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Storable(string value)
        => value.Contains('\0', StringComparison.Ordinal) ? throw new JsonException(NulMessage) : value;
}
