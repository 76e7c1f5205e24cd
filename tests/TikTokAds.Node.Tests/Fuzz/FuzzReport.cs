using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>The run in words: how many requests, which answers, and each finding with what reproduces it and what the node logged.</summary>
internal static partial class FuzzReport
{
    public static string Histogram(string provider, IReadOnlyList<FuzzOutcome> outcomes, TimeSpan elapsed)
    {
        var histogram = outcomes.GroupBy(o => o.Result).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}");
        var raw = outcomes.Count(o => o.Case.Raw is not null);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{provider}] {outcomes.Count} requests ({outcomes.Count - raw} through HttpClient, {raw} as raw bytes) in {elapsed.TotalSeconds:0.0} s; " +
            $"{outcomes.Count(o => o.Failed)} findings\n[{provider}] status histogram: {string.Join(", ", histogram)}");
    }

    /// <summary>Findings grouped by route and result, each group with its first cases in full.</summary>
    public static string Findings(IReadOnlyList<FuzzOutcome> outcomes)
    {
        var text = new StringBuilder();
        foreach (var group in outcomes.Where(o => o.Failed).GroupBy(o => $"{o.Case.Method} {o.Case.Route} -> {o.Result}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n== {group.Key} ({group.Count()} cases)\n");
            foreach (var outcome in group.OrderBy(o => (o.Case.Body?.Length ?? 0) + (o.Case.Raw?.Length ?? 0)).Take(3))
            {
                text.Append(Describe(outcome));
            }
            var kinds = group.Select(o => o.Case.Kind).Distinct(StringComparer.Ordinal).ToList();
            if (kinds.Count > 3)
            {
                text.Append(CultureInfo.InvariantCulture, $"   all kinds: {Printable(string.Join(" | ", kinds), 2_000)}\n");
            }
        }
        return text.ToString();
    }

    public static string Describe(FuzzOutcome outcome)
    {
        var c = outcome.Case;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $" - case {c.Id} [{Printable(c.Kind, 200)}]: {c.Method} {Printable(c.Target, 300)}\n");
        if (c.Raw is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"   raw request ({c.Raw.Length} bytes{(c.HalfClose ? ", then half-closed" : "")}): {Printable(Encoding.Latin1.GetString(c.Raw), 600)}\n");
        }
        else
        {
            foreach (var (name, value) in c.Headers)
            {
                text.Append(CultureInfo.InvariantCulture, $"   {name}: {Printable(value, 120)}\n");
            }
            if (c.Body is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"   Content-Type: {Printable(c.ContentType ?? "(none)", 120)}{(c.Chunked ? ", chunked" : "")}\n");
                text.Append(CultureInfo.InvariantCulture, $"   body ({c.Body.Length} bytes): {Printable(Encoding.UTF8.GetString(c.Body), 400)}\n");
            }
        }
        text.Append(CultureInfo.InvariantCulture, $"   => {outcome.Result} after {outcome.Elapsed.TotalMilliseconds:0} ms: {Printable(outcome.Detail, 400)}\n");
        return text.ToString();
    }

    /// <summary>
    /// The node's error entries by exception (quoted values folded, so one bug is one line), each with how often it
    /// came and its first full entry: the logger, the request line, the exception and our code's frame it passed.
    /// </summary>
    public static string NodeErrors(string output)
    {
        var lines = output.Split('\n');
        var entries = new List<string[]>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("crit:", StringComparison.Ordinal))
            {
                var entry = lines.Skip(i).Take(60).TakeWhile((l, n) => n == 0 || l.StartsWith(' ')).Select(l => l.Trim()).ToList();
                // The logger, the request line, the exception, and the first frame of our own code: where to look.
                entries.Add([.. entry.Take(4), .. entry.Skip(4).Where(l => l.StartsWith("at TikTokAds.", StringComparison.Ordinal)).Take(1)]);
            }
        }
        var text = new StringBuilder();
        foreach (var group in entries.GroupBy(e => Quoted().Replace(e.Length > 2 ? e[2] : string.Join(" | ", e), "'…'"), StringComparer.Ordinal).OrderByDescending(g => g.Count()).Take(40))
        {
            text.Append(CultureInfo.InvariantCulture, $" {group.Count(),5} x {Printable(group.Key, 400)}\n         e.g. {Printable(string.Join(" | ", group.First()), 700)}\n");
        }
        return text.Length == 0 ? " (none)\n" : text.ToString();
    }

    public static string Tail(string output, int count)
        => string.Join('\n', output.Split('\n').TakeLast(count).Select(l => Printable(l, 300)));

    /// <summary>Control characters as \xNN, so a NUL in a finding shows instead of cutting the output.</summary>
    public static string Printable(string text, int max)
    {
        var builder = new StringBuilder();
        foreach (var ch in text.Length > max ? text[..max] : text)
        {
            if (char.IsControl(ch) || char.IsSurrogate(ch) || ch is '\u2028' or '\u2029' or '\ufeff')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)ch:X2}");
            }
            else
            {
                builder.Append(ch);
            }
        }
        return text.Length > max ? builder.Append(CultureInfo.InvariantCulture, $"…({text.Length} chars)").ToString() : builder.ToString();
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();
}
