using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>The hostile values the cases are built from: strings, numbers and shapes a client can put where an id or a field goes.</summary>
internal static class HostileValues
{
    /// <summary>Path segments, already percent-encoded as they go on the wire.</summary>
    public static IReadOnlyList<string> PathSegments(FuzzIds ids) =>
    [
        "..%2f..%2fadmin", "..%2F..%2Fapi%2Fadmin%2Forganizers", "%2e%2e", "%2e", "..%5c..%5c", "%00", "a%00b", "%00%00%00%00",
        "%01%1f%7f", "%0d%0aX-Injected:%201", "%20", "+", "%25", "%25%30%30", "%u0000", "%C3%BCn%C3%AFc%C3%B8d%C3%A9",
        "%F0%9F%92%A9", "%FF%FE%FD", "%C0%AF", "%ED%A0%80", "%E2%80%8B%E2%80%8B", "%E2%80%AE" + "lanigiro", new string('a', 4096), new string('9', 300),
        "-1", "0", "99999999999999999999999999", "1e309", "NaN", "null", "undefined", "%7BaudienceId%7D", "*", ";", "CON", "'%20OR%201=1--",
        "%3Cscript%3E", ids.OtherOrganizerId, ids.OtherOrganizerId.ToUpperInvariant(), "org_", "org_%00", ids.OrganizerId + "%00", ids.OrganizerId + "%2f..",
        "org_" + new string('z', 61), ids.OtherKeyId, ids.AudienceId + "%00", ids.PixelId + "%00", ids.PixelId + "%20", ids.AudienceId.ToUpperInvariant(),
    ];

    /// <summary>Query values, percent-encoded.</summary>
    public static IReadOnlyList<string> QueryValues(FuzzIds ids) =>
    [
        "", "%00", "a%00b", "-1", "0", "2147483648", "99999999999999999999999", "1e309", "abc", "%FF%FE", "%C3%BC", new string('q', 3000),
        "%0d%0a", "true", "[]", "{}", ids.PixelId + "%00", ids.OtherOrganizerId, "%E2%80%8B",
    ];

    /// <summary>What goes where a JSON string, number, boolean, array or object was expected.</summary>
    public static IReadOnlyList<JsonNode?> Leaves(FuzzIds ids) =>
    [
        null, "", " ", "\u0000", "a\u0000b", "\u0001\u0002\u001f\u007f", "\t\r\n", "\u200b\u200b\u200b", "\u202e\u202d", "\ufeff", "\uffff",
        "\ud83d\ude00", "ünïcødé 日本語", new string('x', 70_000), new string('\u0000', 1_000), "'; DROP TABLE organizers;--", "../../etc/passwd",
        "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "%00", "NaN", "-1", "1e309", "99999999999999999999999999999999",
        ids.OtherOrganizerId, ids.OtherApiKey, ids.AudienceId, "org_", "SANDBOXPIXEL0001\u0000",
        0, -1, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 1.5, -0.0, 1e308, -1e308, double.Epsilon, decimal.MaxValue, true, false,
        new JsonArray(), new JsonArray((JsonNode?)null), new JsonArray("a", 1, null, true, new JsonObject()), new JsonObject(),
        new JsonObject { ["$type"] = "System.IO.FileInfo", ["__proto__"] = new JsonObject { ["admin"] = true } },
    ];

    /// <summary>Literal JSON number tokens that no .NET number holds, spliced in as text.</summary>
    public static IReadOnlyList<string> NumberTokens { get; } =
    [
        "1e400", "-1e400", "123456789012345678901234567890123456789012345678901234567890", "0.000000000000000000000000000000000000000000000001",
        "1" + new string('0', 5000), "-0", "1E+2147483648", "0x10", "01", "+1", ".5", "1.", "NaN", "Infinity", "-Infinity",
    ];

    /// <summary>Content types a JSON route should refuse with a 4xx (or read as UTF-8 JSON), never fail on.</summary>
    public static IReadOnlyList<string?> ContentTypes { get; } =
    [
        null, "", "application/json; charset=bogus", "application/json; charset=utf-16", "application/json; charset=utf-32", "application/json; charset=latin1",
        "application/json; charset=\"\"", "application/json; charset=", "application/json;;;", "application/json; charset=utf-8; charset=ascii",
        "application/json; boundary=x", "text/plain", "text/json", "application/problem+json", "application/x-www-form-urlencoded", "multipart/form-data",
        "multipart/form-data; boundary=", "application/xml", "*/*", "application/*", "application", "/", "json", "application/json\u0001", "APPLICATION/JSON; CHARSET=UTF-8",
        "application/json; charset=" + new string('u', 2000),
    ];
}
