using System.Text.Json;
using System.Text.Json.Serialization;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>
/// Reads the sync body's members ([["fan@example.com", null], null, …]) straight into <see cref="MemberRows"/>.
/// Each cell goes through the options' own string converter, so the gateway's rules on text apply to members
/// as to any other value; anything but rows of strings and nulls fails the body as unreadable (400). The
/// serializer does not track paths inside a converter, so errors name the row and cell here.
/// The rows it reads are hashed ahead, block by block, while the rest are still being read (<see cref="MemberRows"/>).
/// </summary>
internal sealed class MemberRowsConverter : JsonConverter<MemberRows>
{
    private const string Path = "$.members";

    public override MemberRows Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("members must be an array of rows.", Path, null, null);
        }
        var text = (JsonConverter<string>)options.GetConverter(typeof(string));
        var members = new MemberRows(hashAhead: true);
        for (var row = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; row++)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                members.AddNull();
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("Each member row must be an array of strings.", $"{Path}[{row}]", null, null);
            }
            members.StartRow();
            for (var cell = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; cell++)
            {
                members.AddCell(reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.String => Cell(ref reader, text, options, row, cell),
                    _ => throw new JsonException("Each member cell must be a string or null.", $"{Path}[{row}][{cell}]", null, null),
                });
            }
            members.EndRow();
        }
        return members;
    }

    public override void Write(Utf8JsonWriter writer, MemberRows value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (var row = 0; row < value.Count; row++)
        {
            if (value.Width(row) < 0)
            {
                writer.WriteNullValue();
                continue;
            }
            writer.WriteStartArray();
            for (var p = 0; p < value.Width(row); p++)
            {
                writer.WriteStringValue(value.Cell(row, p));
            }
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }

    private static string Cell(ref Utf8JsonReader reader, JsonConverter<string> text, JsonSerializerOptions options, int row, int cell)
    {
        try
        {
            return text.Read(ref reader, typeof(string), options)!;
        }
        catch (JsonException ex) when (ex.Path is null)
        {
            throw new JsonException(ex.Message, $"{Path}[{row}][{cell}]", null, null, ex);
        }
    }
}
