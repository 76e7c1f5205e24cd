namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// One hostile request. Sent through HttpClient unless <see cref="Raw"/> holds the exact bytes, which is how
/// requests HttpClient refuses to write (length mismatches, duplicate or non-ASCII headers, dot segments) go out.
/// </summary>
/// <param name="Route">The route template it aims at, so findings group by route rather than by hostile value.</param>
/// <param name="Malformed">
/// Not valid HTTP/1.1 (raw cases only). Besides a 4xx, the server may then close the connection without an answer, or
/// answer 501 or 505 (the status codes HTTP itself prescribes for an unknown transfer coding or version): none is a finding.
/// </param>
/// <param name="HalfClose">The request announces more than it sends: the client shuts its side down so the server sees the end.</param>
/// <param name="Destructive">Deletes the fixture's own resources (pixel, audience, key), so it runs after everything else.</param>
/// <param name="Expect">What the answer must be besides not a 5xx: a 2xx for the interleaved valid requests, 404/403 for cross-tenant probes.</param>
internal sealed record FuzzCase(
    int Id,
    string Kind,
    string Method,
    string Route,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body = null,
    string? ContentType = null,
    byte[]? Raw = null,
    bool Malformed = false,
    bool HalfClose = false,
    bool Destructive = false,
    bool Chunked = false,
    FuzzExpectation Expect = FuzzExpectation.No5xx);
