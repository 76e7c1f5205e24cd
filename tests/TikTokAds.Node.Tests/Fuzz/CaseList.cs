using System.Text;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>The cases of one run in the order they were made, numbered, with the fixture's credentials at hand.</summary>
internal sealed class CaseList(FuzzIds ids)
{
    private readonly List<FuzzCase> _cases = [];

    public FuzzIds Ids { get; } = ids;

    /// <summary>One valid request after this many hostile ones.</summary>
    private const int ValidEvery = 20;

    /// <summary>Every case of a run. The seed fixes the samples and the mutations, so a finding reproduces by its case number.</summary>
    public static IReadOnlyList<FuzzCase> Make(IReadOnlyList<FuzzRoute> routes, FuzzIds ids, int seed)
    {
        var cases = new CaseList(ids);
        var random = new Random(seed);
        RouteCases.Add(cases, routes, random);
        ProtocolCases.Add(cases, routes);
        TenantCases.Add(cases, routes);
        var hostile = cases._cases.Count;
        ValidCases.Add(cases, routes, hostile / ValidEvery);
        return Interleave(cases._cases, hostile);
    }

    /// <summary>The valid cases (after <paramref name="hostile"/>) spread among the hostile ones, and all numbered in their new order.</summary>
    private static List<FuzzCase> Interleave(List<FuzzCase> all, int hostile)
    {
        var valid = new Queue<FuzzCase>(all.Skip(hostile));
        var mixed = new List<FuzzCase>(all.Count);
        foreach (var c in all.Take(hostile))
        {
            mixed.Add(c);
            if (mixed.Count % (ValidEvery + 1) == ValidEvery && valid.TryDequeue(out var next))
            {
                mixed.Add(next);
            }
        }
        mixed.AddRange(valid);
        return [.. mixed.Select((c, i) => c with { Id = i + 1 })];
    }
    /// <summary>A request HttpClient sends; headers include Authorization when one is wanted.</summary>
    public void Http(string kind, FuzzRoute route, string target, IEnumerable<KeyValuePair<string, string>> headers, byte[]? body = null, string? contentType = null,
        bool destructive = false, bool chunked = false, string? method = null, FuzzExpectation expect = FuzzExpectation.No5xx)
    {
        // Lead deliveries are signed, else the webhook answers 401 before it reads the body; the credential cases stay unsigned.
        if (route.Template == ValidBodies.LeadWebhook && body is not null && !headers.Any() && !kind.StartsWith("no credentials", StringComparison.Ordinal))
        {
            headers = [new(LeadSignature.Header, LeadSignature.For(body))];
        }
        _cases.Add(new FuzzCase(_cases.Count + 1, kind, method ?? route.Method, route.Template, target, [.. headers], body, contentType,
            Destructive: destructive, Chunked: chunked, Expect: expect));
    }

    /// <summary>Exact bytes on a socket of their own.</summary>
    public void Raw(string kind, string route, byte[] request, bool malformed = false, bool destructive = false, bool halfClose = false)
    {
        var line = Encoding.Latin1.GetString(request, 0, Math.Max(0, Array.IndexOf(request, (byte)'\r') is var end and >= 0 ? end : Math.Min(request.Length, 200)));
        var parts = line.Split(' ', 3);
        _cases.Add(new FuzzCase(_cases.Count + 1, kind, parts[0], route, parts.Length > 1 ? parts[1] : "", [], Raw: request, Malformed: malformed, HalfClose: halfClose, Destructive: destructive));
    }

    /// <summary>The Authorization a route expects: the organizer's key on the public API, the operator's on admin and dashboard routes.</summary>
    public IEnumerable<KeyValuePair<string, string>> Auth(FuzzRoute route)
        => route.IsOrganizer ? [Bearer(Ids.ApiKey)]
            : route.IsAdmin || (route.Template.StartsWith("/dashboard", StringComparison.Ordinal) && !route.Template.StartsWith("/dashboard/login", StringComparison.Ordinal)) ? [Bearer(Ids.AdminKey)]
            : [];

    public string AuthLine(FuzzRoute route) => Auth(route).Select(h => $"{h.Key}: {h.Value}").FirstOrDefault() ?? "X-Fuzz: anonymous";

    public static KeyValuePair<string, string> Bearer(string key) => new("Authorization", "Bearer " + key);
}
