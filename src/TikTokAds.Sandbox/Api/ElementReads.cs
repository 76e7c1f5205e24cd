using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace TikTokAds.Sandbox.Api;

/// <summary>
/// Reads of a parsed body that mean what <see cref="SandboxRequest"/>'s JsonNode reads mean, so a handler can
/// validate a <see cref="JsonDocument"/> without building nodes: a JSON null counts as absent, and a value of
/// the wrong kind reads as missing.
/// </summary>
internal static class ElementReads
{
    private static readonly SearchValues<byte> LowerHex = SearchValues.Create("0123456789abcdef"u8);

    /// <summary>The object's member, or an Undefined element when it is absent or null (JsonObject's indexer gives null for both).</summary>
    public static JsonElement Field(this JsonElement obj, ReadOnlySpan<byte> utf8Name)
        => obj.TryGetProperty(utf8Name, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;

    public static bool IsPresent(this JsonElement element) => element.ValueKind != JsonValueKind.Undefined;

    public static string? AsString(this JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    public static bool TryLong(this JsonElement element, out long number)
    {
        number = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out number);
    }

    public static bool TryDecimal(this JsonElement element, out decimal number)
    {
        number = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out number);
    }

    /// <summary>A string or boolean or number: what a JsonValue node would be.</summary>
    public static bool IsScalar(this JsonElement element)
        => element.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    /// <summary>A user field TikTok takes hashed: one string, or an array of strings, each SHA-256 hex.</summary>
    public static bool IsHashed(this JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return IsSha256Hex(element);
        }
        foreach (var item in element.EnumerateArray())
        {
            if (!IsSha256Hex(item))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsSha256Hex(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        // The raw text, quotes included, saves a string per hash. An escaped value is unescaped and put to
        // TikTokFacts' own rule, so both paths accept exactly the same values.
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Contains((byte)'\\'))
        {
            return TikTokFacts.IsSha256Hex(element.GetString()!);
        }
        return raw.Length == 66 && !raw[1..^1].ContainsAnyExcept(LowerHex);
    }
}
