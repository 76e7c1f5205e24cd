using System.Text;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>Hostile variants of a valid JSON body: wrong types and values at each field, duplicate keys, broken syntax, bad bytes, depth and size.</summary>
internal static class JsonMutations
{
    private const string Marker = "\"__fuzz_marker__\"";

    public static IEnumerable<(string Kind, byte[] Body)> Of(JsonNode valid, FuzzIds ids, Random random, int leafMutations)
    {
        var text = valid.ToJsonString();
        yield return ("valid", Utf8(text));
        var leaves = Paths(valid).Where(p => p.Count > 0).ToList();
        var hostile = HostileValues.Leaves(ids);
        for (var i = 0; i < leafMutations && leaves.Count > 0; i++)
        {
            var path = leaves[random.Next(leaves.Count)];
            var value = hostile[random.Next(hostile.Count)];
            yield return ($"field {Describe(path)} = {Excerpt(value)}", Utf8(Replace(valid, path, value?.DeepClone()).ToJsonString()));
        }
        // Every stored string must survive a NUL (PostgreSQL's text refuses one), so each string field gets one, not a sampled few.
        foreach (var path in leaves.Where(p => At(valid, p) is JsonValue v && v.TryGetValue<string>(out _)))
        {
            yield return ($"field {Describe(path)} with NUL", Utf8(Replace(valid, path, ((string)At(valid, path)!) + "\u0000x").ToJsonString()));
        }
        // Arrays of ids or values are where a null item slips past a "not empty" check.
        foreach (var path in leaves.Where(p => At(valid, p) is JsonArray))
        {
            yield return ($"array {Describe(path)} = [null]", Utf8(Replace(valid, path, new JsonArray((JsonNode?)null)).ToJsonString()));
            yield return ($"array {Describe(path)} = [[], {{}}, 1]", Utf8(Replace(valid, path, new JsonArray(new JsonArray(), new JsonObject(), 1)).ToJsonString()));
        }
        foreach (var (kind, body) in Spliced(valid, leaves, random))
        {
            yield return (kind, body);
        }
        foreach (var (kind, body) in DuplicateKeys(valid))
        {
            yield return (kind, body);
        }
        foreach (var (kind, body) in Broken(text, random))
        {
            yield return (kind, body);
        }
    }

    /// <summary>Tokens no JsonNode can hold, put in place of one field as raw text or bytes.</summary>
    private static IEnumerable<(string, byte[])> Spliced(JsonNode valid, List<List<object>> leaves, Random random)
    {
        if (leaves.Count == 0)
        {
            yield break;
        }
        var splices = HostileValues.NumberTokens.Select(t => ("number " + Excerpt(t), Utf8(t))).Concat(
        [
            ("lone high surrogate", Utf8("\"\\ud800\"")), ("lone low surrogate", Utf8("\"x\\udc00y\"")), ("bad escape", Utf8("\"\\x41\\u12\"")),
            ("raw NUL byte in string", [0x22, 0x61, 0x00, 0x62, 0x22]), ("raw control byte in string", [0x22, 0x01, 0x1f, 0x22]),
            ("raw newline in string", Utf8("\"a\nb\"")), ("invalid UTF-8 in string", [0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22]),
            ("overlong UTF-8 in string", [0x22, 0xC0, 0xAF, 0xE0, 0x80, 0xAF, 0x22]), ("UTF-8 encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22]),
            ("deep arrays in field", Utf8(new string('[', 10_000) + new string(']', 10_000))),
            ("deep objects in field", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 2_000)) + "1" + new string('}', 2_000))),
            ("100k-item array in field", Utf8("[" + string.Join(',', Enumerable.Repeat("\"x\"", 100_000)) + "]")),
            ("2 MB string in field", Utf8("\"" + new string('s', 2_000_000) + "\"")),
            ("unquoted literal", Utf8("undefined")), ("single-quoted string", Utf8("'x'")),
        ]);
        foreach (var (kind, replacement) in splices)
        {
            var path = leaves[random.Next(leaves.Count)];
            yield return ($"field {Describe(path)} = {kind}", Splice(Replace(valid, path, "__fuzz_marker__").ToJsonString(), replacement));
        }
    }

    /// <summary>Every key of the root and of one nested object, repeated with another value before and after the real one.</summary>
    private static IEnumerable<(string, byte[])> DuplicateKeys(JsonNode valid)
    {
        if (valid is not JsonObject root)
        {
            yield break;
        }
        foreach (var (name, value) in root.Take(6))
        {
            var inserted = (JsonObject)root.DeepClone();
            inserted.Insert(0, "__fuzz_dup__", "__fuzz_marker__");
            var json = inserted.ToJsonString();
            var other = value is JsonValue v && v.TryGetValue<string>(out _) ? "123" : "\"other\"";
            yield return ($"duplicate key {name} (first differs)", Utf8(json.Replace("\"__fuzz_dup__\":" + Marker, $"\"{name}\":{other}", StringComparison.Ordinal)));
            yield return ($"duplicate key {name} (same value twice)", Utf8(json.Replace("\"__fuzz_dup__\":" + Marker, $"\"{name}\":{value?.ToJsonString() ?? "null"}", StringComparison.Ordinal)));
        }
        foreach (var (name, value) in root.Where(p => p.Value is JsonObject { Count: > 0 }).Take(2))
        {
            var nested = (JsonObject)value!;
            var first = nested.First();
            var copy = (JsonObject)root.DeepClone();
            ((JsonObject)copy[name]!).Add("__fuzz_dup__", "__fuzz_marker__");
            yield return ($"duplicate key {name}.{first.Key}", Utf8(copy.ToJsonString().Replace("\"__fuzz_dup__\":" + Marker, $"\"{first.Key}\":null", StringComparison.Ordinal)));
        }
        yield return ("duplicate key __proto__ x2", Utf8("{\"__proto__\":1,\"__proto__\":2," + root.ToJsonString()[1..]));
    }

    /// <summary>Bodies that are not JSON, or not the JSON the route reads.</summary>
    private static IEnumerable<(string, byte[])> Broken(string text, Random random)
    {
        yield return ("empty body", []);
        yield return ("whitespace only", Utf8(" \r\n\t "));
        yield return ("root null", Utf8("null"));
        yield return ("root array", Utf8("[" + text + "]"));
        yield return ("root string", Utf8("\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
        yield return ("root number", Utf8("1e400"));
        yield return ("root true", Utf8("true"));
        yield return ("empty object", Utf8("{}"));
        for (var i = 0; i < 3; i++)
        {
            var cut = text.Length <= 2 ? 1 : random.Next(1, text.Length - 1);
            yield return ($"truncated at {cut}", Utf8(text[..cut]));
        }
        yield return ("trailing garbage", Utf8(text + "}}]]garbage"));
        yield return ("two documents", Utf8(text + text));
        yield return ("trailing comma", Utf8(text.Length > 2 ? text[..^1] + ",}" : "{,}"));
        yield return ("comments", Utf8("/* c */" + text + "// c"));
        yield return ("single quotes", Utf8(text.Replace('"', '\'')));
        yield return ("unquoted keys", Utf8("{a:1,b:[2]}"));
        yield return ("NaN literal", Utf8("{\"x\":NaN}"));
        yield return ("UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. Utf8(text)]);
        yield return ("UTF-16LE body", Encoding.Unicode.GetBytes(text));
        yield return ("UTF-16BE with BOM", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)]);
        yield return ("Latin-1 body", Encoding.Latin1.GetBytes(text.Replace("}", ",\"n\":\"é\"}", StringComparison.Ordinal)));
        yield return ("NUL bytes", new byte[64]);
        yield return ("random bytes", RandomBytes(random, 512));
        yield return ("deep root arrays", Utf8(new string('[', 100_000) + new string(']', 100_000)));
        yield return ("deep root objects unclosed", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 50_000))));
        yield return ("50k unknown keys", Utf8("{" + string.Join(',', Enumerable.Range(0, 50_000).Select(i => $"\"k{i}\":{i}")) + "}"));
        yield return ("50k copies of one key", Utf8("{" + string.Join(',', Enumerable.Repeat("\"name\":\"x\"", 50_000)) + "}"));
        yield return ("5 MB body", Utf8("{\"pad\":\"" + new string('p', 5_000_000) + "\"," + text[1..]));
    }

    private static IEnumerable<List<object>> Paths(JsonNode? node)
    {
        yield return [];
        var children = node switch
        {
            JsonObject o => o.Select(p => ((object)p.Key, p.Value)).ToList(),
            JsonArray a => a.Select((v, i) => ((object)i, v)).ToList(),
            _ => [],
        };
        foreach (var (key, child) in children)
        {
            foreach (var rest in Paths(child))
            {
                yield return [key, .. rest];
            }
        }
    }

    private static JsonNode? At(JsonNode? node, List<object> path)
        => path.Aggregate(node, (current, key) => key is int i ? current?.AsArray()[i] : current?.AsObject()[(string)key]);

    private static JsonNode Replace(JsonNode root, List<object> path, JsonNode? value)
    {
        var copy = root.DeepClone();
        var parent = At(copy, path[..^1]);
        if (path[^1] is int index)
        {
            parent!.AsArray()[index] = value;
        }
        else
        {
            parent!.AsObject()[(string)path[^1]] = value;
        }
        return copy;
    }

    private static byte[] Splice(string json, byte[] replacement)
    {
        var at = json.IndexOf(Marker, StringComparison.Ordinal);
        return [.. Utf8(json[..at]), .. replacement, .. Utf8(json[(at + Marker.Length)..])];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Describe(List<object> path) => string.Join('.', path);

    public static string Excerpt(object? value)
    {
        var text = value is JsonNode node ? node.ToJsonString() : value?.ToString() ?? "null";
        return text.Length > 40 ? $"{text[..40]}…({text.Length} chars)" : text;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
