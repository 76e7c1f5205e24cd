using System.Text;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// Header abuse and HTTP/1.1 framing games HttpClient will not write: length mismatches, duplicate and broken headers,
/// chunking errors, bad request lines. Sent as raw bytes on a socket of their own.
/// </summary>
internal static class ProtocolCases
{
    private const string Events = "/api/integrations/tiktok-ads/events";
    private const string Connection = "/api/integrations/tiktok-ads/connection";

    public static void Add(CaseList cases, IReadOnlyList<FuzzRoute> routes)
    {
        var ids = cases.Ids;
        var auth = $"Authorization: Bearer {ids.ApiKey}";
        foreach (var route in routes.Where(r => r.Template is Events or ValidBodies.LeadWebhook or "/api/integrations/tiktok-ads/connect" or "/api/admin/organizers" && r.Method == "POST"))
        {
            var body = Encoding.UTF8.GetBytes(ValidBodies.For(route, ids).ToJsonString());
            Framing(cases, route, route.Template == ValidBodies.LeadWebhook ? $"{LeadSignature.Header}: {LeadSignature.For(body)}" : cases.AuthLine(route), body);
        }
        Headers(cases, auth, ids);
        RequestLines(cases, auth);
    }

    /// <summary>Bodies whose length, or whose chunking, does not say what the bytes do.</summary>
    private static void Framing(CaseList cases, FuzzRoute route, string auth, byte[] body)
    {
        var line = $"POST {route.Template} HTTP/1.1";
        const string Type = "Content-Type: application/json";
        void Add(string kind, IEnumerable<string> head, byte[] payload, bool malformed = true, bool halfClose = false)
            => cases.Raw(kind, route.Template, RawHttp.Build(line, [auth, Type, .. head], payload), malformed, halfClose: halfClose);

        Add("Content-Length longer than the body", [$"Content-Length: {body.Length + 100}"], body, halfClose: true);
        Add("Content-Length far beyond the body", ["Content-Length: 1000000000"], body, halfClose: true);
        Add("Content-Length shorter than the body", [$"Content-Length: {body.Length / 2}"], body);
        Add("Content-Length 0 with a body", ["Content-Length: 0"], body);
        Add("Content-Length negative", ["Content-Length: -1"], body);
        Add("Content-Length not a number", ["Content-Length: abc"], body);
        Add("Content-Length overflowing", ["Content-Length: 99999999999999999999999"], body);
        Add("Content-Length list", [$"Content-Length: {body.Length}, {body.Length}"], body);
        Add("Content-Length twice, different", [$"Content-Length: {body.Length}", $"Content-Length: {body.Length + 1}"], body);
        Add("Content-Length and chunked", [$"Content-Length: {body.Length}", "Transfer-Encoding: chunked"], Chunk(body));
        Add("chunk size not hex", ["Transfer-Encoding: chunked"], [.. "zz\r\n"u8, .. body, .. "\r\n0\r\n\r\n"u8]);
        Add("chunk size overflowing", ["Transfer-Encoding: chunked"], [.. "ffffffffffffffffffff\r\n"u8, .. body, .. "\r\n0\r\n\r\n"u8]);
        Add("chunk longer than its size", ["Transfer-Encoding: chunked"], [.. "2\r\n"u8, .. body, .. "\r\n0\r\n\r\n"u8]);
        Add("chunked without the last chunk", ["Transfer-Encoding: chunked"], Chunk(body)[..^5], halfClose: true);
        Add("chunk extension 10 KB", ["Transfer-Encoding: chunked"], [.. Encoding.ASCII.GetBytes($"{body.Length:x};{new string('e', 10_000)}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8]);
        Add("chunked trailer with NUL", ["Transfer-Encoding: chunked"], [.. Chunk(body)[..^2], .. "X-T: a\0b\r\n\r\n"u8]);
        // Leading whitespace, one byte a chunk, then the body: valid, only slow to reassemble.
        Add("10,000 one-byte chunks", ["Transfer-Encoding: chunked"], [.. Enumerable.Repeat("1\r\n \r\n"u8.ToArray(), 10_000).SelectMany(x => x), .. Chunk(body)], malformed: false);
        Add("Transfer-Encoding gzip, chunked", ["Transfer-Encoding: gzip, chunked"], Chunk(body));
        Add("Transfer-Encoding chunked, identity", ["Transfer-Encoding: chunked, identity"], Chunk(body));
        Add("Transfer-Encoding xchunked", ["Transfer-Encoding: xchunked"], body);
        Add("Transfer-Encoding with NUL", ["Transfer-Encoding: chun\0ked"], Chunk(body));
        Add("Content-Encoding gzip, body plain", [$"Content-Length: {body.Length}", "Content-Encoding: gzip"], body, malformed: false);
        Add("Expect 100-continue", [$"Content-Length: {body.Length}", "Expect: 100-continue"], body, malformed: false);
        Add("two Content-Types", [$"Content-Length: {body.Length}", "Content-Type: text/plain"], body, malformed: false);
        Add("duplicate Authorization", [$"Content-Length: {body.Length}", "Authorization: Bearer other"], body, malformed: false);
        Add("body of NUL bytes", ["Content-Length: 4096"], new byte[4096], malformed: false);
    }

    /// <summary>Header lines that are too big, too many, duplicated, or not headers at all.</summary>
    private static void Headers(CaseList cases, string auth, FuzzIds ids)
    {
        void Add(string kind, IEnumerable<string> head, bool malformed = true, string target = Connection)
            => cases.Raw(kind, target, RawHttp.Build($"GET {target} HTTP/1.1", head), malformed);

        Add("one 40 KB header", [auth, "X-Big: " + new string('h', 40_000)]);
        Add("500 headers", [auth, .. Enumerable.Range(0, 500).Select(i => $"X-H{i}: {i}")]);
        Add("40 KB cookie", [auth, "Cookie: tta_operator=" + new string('c', 40_000)]);
        Add("Authorization 16 KB", ["Authorization: Bearer " + new string('k', 16_000)]);
        Add("two Authorization headers, mine first", [auth, $"Authorization: Bearer {ids.OtherApiKey}"], malformed: false);
        Add("two Authorization headers, other first", [$"Authorization: Bearer {ids.OtherApiKey}", auth], malformed: false);
        Add("Authorization with NUL", [auth + "\0"]);
        Add("Authorization in UTF-8", ["Authorization: Bearer \u00c3\u00a9\u00e2\u0080\u008b" + ids.ApiKey]);
        Add("Authorization in Latin-1", ["Authorization: Bearer \u00e9" + ids.ApiKey]);
        Add("header without colon", [auth, "Garbage line"]);
        Add("space before colon", [auth, "X-A : b"]);
        Add("empty header name", [auth, ": value"]);
        Add("header name with separators", [auth, "X(A)@: b"]);
        Add("obsolete line folding", [auth, "X-A: a", " folded"]);
        Add("NUL in a header value", [auth, "X-A: a\0b"]);
        Add("DEL and controls in a header value", [auth, "X-A: a\u007f\u0001b"]);
        Add("no Host", [auth, "Host:"]);
        Add("two Hosts", [auth, "Host: 127.0.0.1", "Host: evil.example"]);
        Add("Host with a path", [auth, "Host: evil.example/x"]);
        Add("Host with a bad port", [auth, "Host: 127.0.0.1:99999"]);
        Add("Host with NUL", [auth, "Host: 127.0.0.1\0.evil"]);
        Add("garbage forwarding headers", [auth, "X-Forwarded-For: ::::, 999.1.1.1, \"x\"", "X-Forwarded-Host: a b", "X-Forwarded-Proto: gopher", "Forwarded: for=\"[::1\""], malformed: false);
        Add("garbage caching headers", [auth, "If-None-Match: \"", "If-Modified-Since: yesterday", "Range: bytes=9-1,a-b", "Accept: */*;q=x"], malformed: false, target: "/sdk/ttclid.js");
        Add("Accept-Charset and Accept-Encoding nonsense", [auth, "Accept-Charset: bogus", "Accept-Encoding: br;q=2, *;q=-1", "Accept: text/\u00e9"], malformed: false);
        Add("WebSocket upgrade on an API route", [auth, "Connection: Upgrade, close", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: x"], malformed: false);
        Add("h2c upgrade", [auth, "Connection: Upgrade, HTTP2-Settings, close", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAAP__"], malformed: false);
        Add("operator cookie forged", ["Cookie: tta_operator=" + new string('0', 64)], malformed: false, target: "/dashboard/api/pixels");
        Add("operator cookie twice", ["Cookie: tta_operator=a; tta_operator=b", "Cookie: tta_operator=\0"], target: "/dashboard/api/pixels");
        Add("bare LF line endings", [auth + "\nX-A: b"]);
    }

    /// <summary>Request lines that are not what HTTP/1.1 allows, and bytes of other protocols.</summary>
    private static void RequestLines(CaseList cases, string auth)
    {
        void Add(string kind, string requestLine, bool addHost = true, bool malformed = true)
            => cases.Raw(kind, "(request line)", RawHttp.Build(requestLine, [auth], null, addHost), malformed);
        void Bytes(string kind, byte[] bytes, bool halfClose = false)
            => cases.Raw(kind, "(bytes)", bytes, malformed: true, halfClose: halfClose);

        Add("garbage request line", "GARBAGE");
        Add("method only", "GET");
        Add("two spaces", $"GET  {Connection} HTTP/1.1");
        Add("extra token", $"GET {Connection} HTTP/1.1 extra");
        Add("HTTP/9.9", $"GET {Connection} HTTP/9.9");
        Add("HTTP/1.2", $"GET {Connection} HTTP/1.2");
        Add("HTTP/1.0 without Host", $"GET {Connection} HTTP/1.0", addHost: false, malformed: false);
        Add("HTTP/1.1 without Host", $"GET {Connection} HTTP/1.1", addHost: false);
        Add("lower-case method", $"get {Connection} HTTP/1.1", malformed: false);
        Add("absolute form", $"GET http://evil.example{Connection} HTTP/1.1");
        Add("absolute form, other scheme", $"GET ftp://127.0.0.1{Connection} HTTP/1.1");
        Add("asterisk form", "OPTIONS * HTTP/1.1");
        Add("authority form", "CONNECT 127.0.0.1:80 HTTP/1.1");
        Add("NUL in the target", $"GET {Connection}\0x HTTP/1.1");
        Add("raw space in the target", $"GET {Connection}/a b HTTP/1.1");
        Add("raw non-ASCII in the target", $"GET {Connection}/\u00e9\u00ff HTTP/1.1");
        Add("target without slash", "GET api/integrations/tiktok-ads/connection HTTP/1.1");
        Add("20 KB target", $"GET {Connection}/{new string('p', 20_000)} HTTP/1.1");
        Add("percent-encoded prefix", "GET /%61pi/%69ntegrations/tiktok-ads/connection HTTP/1.1", malformed: false);
        Add("upper-case prefix", "GET /API/INTEGRATIONS/TIKTOK-ADS/CONNECTION HTTP/1.1", malformed: false);
        Add("double slashes", "GET //api//integrations//tiktok-ads//connection HTTP/1.1", malformed: false);
        Add("dot segments to admin", "GET /api/integrations/tiktok-ads/../../admin/organizers HTTP/1.1", malformed: false);
        Add("encoded dot segments to admin", "GET /api/integrations/tiktok-ads/%2e%2e/%2e%2e/admin/organizers HTTP/1.1", malformed: false);
        Add("encoded slash", "GET /api%2fintegrations%2ftiktok-ads%2fconnection HTTP/1.1", malformed: false);
        Add("huge method", new string('M', 5_000) + " / HTTP/1.1");
        Bytes("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        Bytes("TLS ClientHello", [0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, .. new byte[32]]);
        Bytes("half a request line, then end", "GET /api/integ"u8.ToArray(), halfClose: true);
        Bytes("headers never ended", Encoding.ASCII.GetBytes($"GET {Connection} HTTP/1.1\r\nHost: x\r\n{auth}\r\n"), halfClose: true);
        Bytes("nothing at all", [], halfClose: true);
        Bytes("NUL bytes", new byte[256]);
        Bytes("two pipelined requests", [.. RawHttp.Build($"GET {Connection} HTTP/1.1", [auth, "Connection: keep-alive"]), .. RawHttp.Build("GET /health/live HTTP/1.1", [])]);
    }

    private static byte[] Chunk(byte[] body) => [.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8];
}
