using System.Diagnostics;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// Sends the cases a few at a time and judges each answer: a 5xx, a connection the server dropped or a hang is a
/// finding; malformed raw HTTP may also be closed without an answer, or get the 501/505 HTTP prescribes.
/// </summary>
internal static class FuzzRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<FuzzOutcome>> RunAsync(Uri baseAddress, IReadOnlyList<FuzzCase> cases, int concurrency)
    {
        // One pooled client, as a real caller has: a request that poisons a kept-alive connection shows up as a drop.
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = concurrency };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var outcomes = new List<FuzzOutcome>();
        // Deleting the fixture's pixel or audience would turn later cases into 404s, so those go last.
        foreach (var phase in cases.GroupBy(c => c.Destructive).OrderBy(g => g.Key))
        {
            var results = new FuzzOutcome[phase.Count()];
            await Parallel.ForEachAsync(phase.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (item, _) => results[item.i] = item.c.Raw is null ? await SendAsync(http, item.c) : await SendRawAsync(baseAddress.Port, item.c));
            outcomes.AddRange(results);
        }
        return outcomes;
    }

    private static async Task<FuzzOutcome> SendAsync(HttpClient http, FuzzCase c)
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(c.Target, UriKind.Relative));
            foreach (var (name, value) in c.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(c.Body);
                if (c.ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
                }
            }
            request.Headers.TransferEncodingChunked = c.Chunked ? true : null;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cts.Token);
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            var status = (int)response.StatusCode;
            return new FuzzOutcome(c, status.ToString(System.Globalization.CultureInfo.InvariantCulture), status >= 500 || !Met(c.Expect, status), Excerpt(text), clock.Elapsed);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return new FuzzOutcome(c, "timeout", true, $"no answer in {Timeout.TotalSeconds:0} s", clock.Elapsed);
        }
        catch (HttpRequestException e)
        {
            return new FuzzOutcome(c, $"dropped ({e.HttpRequestError})", true, Message(e), clock.Elapsed);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // HttpClient refused to write the request: the case belongs among the raw ones.
            return new FuzzOutcome(c, "unsent", true, Message(e), clock.Elapsed);
        }
    }

    private static async Task<FuzzOutcome> SendRawAsync(int port, FuzzCase c)
    {
        var clock = Stopwatch.StartNew();
        var answer = await RawHttp.SendAsync(port, c.Raw!, c.HalfClose, Timeout);
        var first = answer.Statuses.Count > 0 ? answer.Statuses[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        // A client that half-closed mid-request has abandoned it: Kestrel may then reset the connection (it aborts on an
        // unexpected end of the body) as well as close it; only a 5xx or a hang is a finding there.
        var failed = answer.Statuses.Any(s => s >= 500 && !(c.Malformed && s is 501 or 505))
            || (answer.Ending != "closed" && !(c.HalfClose && answer.Ending == "reset"))
            || (answer.Statuses.Count == 0 && !c.Malformed)
            || (answer.Statuses.Count > 0 && !Met(c.Expect, answer.Statuses[0]));
        var result = answer.Ending == "closed" ? first ?? "closed, no answer" : first is null ? answer.Ending : $"{first} then {answer.Ending}";
        return new FuzzOutcome(c, result, failed, answer.Excerpt, clock.Elapsed);
    }

    private static bool Met(FuzzExpectation expect, int status) => expect switch
    {
        FuzzExpectation.Success => status is >= 200 and < 300,
        FuzzExpectation.NotFoundOrForbidden => status is 404 or 403,
        _ => true,
    };

    private static string Message(Exception e) => e.InnerException is { } inner ? $"{e.GetType().Name}: {e.Message} <- {inner.GetType().Name}: {inner.Message}" : $"{e.GetType().Name}: {e.Message}";

    private static string Excerpt(string text) => text.Length > 400 ? text[..400] : text;
}
