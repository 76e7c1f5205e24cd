using System.Globalization;
using System.Text.RegularExpressions;

// PerfSummary <perf-script.txt> <processes.txt> <from> <to> [top]
//   perf-script.txt: `perf script -F pid,tid,comm,time,ip,sym,dso` of a `perf record -k mono -g -a` profile
//   processes.txt:   `ps -eo pid,args` snapshots taken while it ran (names each process's role)
//   from, to:        the measured window on CLOCK_MONOTONIC, as `bench goals` prints it with TIKTOKADS_BENCH_WINDOWS=1
// Each sample is one CPU's state at one tick, so a process's share of all samples is its share of the machine.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: PerfSummary <perf-script.txt> <processes.txt> <from> <to> [top]");
    return 2;
}
var from = double.Parse(args[2], CultureInfo.InvariantCulture);
var to = double.Parse(args[3], CultureInfo.InvariantCulture);
var top = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 25;
var roles = Roles(args[1]);
var samples = Samples(args[0]).Where(s => s.Time >= from && s.Time <= to).ToList();
if (samples.Count == 0)
{
    Console.Error.WriteLine("no samples in that window");
    return 1;
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{samples.Count:N0} samples in {to - from:0.0} s (every CPU, idle included)"));
Console.WriteLine("-- share of the machine by process");
foreach (var group in samples.GroupBy(s => RoleOf(s)).OrderByDescending(g => g.Count()))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * group.Count() / samples.Count,6:0.0}%  {group.Key}"));
}
foreach (var process in samples.Where(s => roles.ContainsKey(s.Pid)).GroupBy(s => s.Pid).OrderByDescending(g => g.Count()))
{
    var mine = process.ToList();
    Console.WriteLine();
    Console.WriteLine($"== {roles[process.Key]} (pid {process.Key}): {mine.Count:N0} samples");
    Console.WriteLine("-- by component (the frame nearest the leaf that belongs to one; runtime, kernel and OpenSSL by the leaf's library)");
    foreach (var component in mine.GroupBy(Component).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * component.Count() / mine.Count,6:0.0}%  {component.Key}"));
    }
    Console.WriteLine($"-- this project's frames, inclusive (top {top})");
    var inclusive = new Dictionary<string, int>();
    foreach (var sample in mine)
    {
        foreach (var name in sample.Frames.Where(f => f.Symbol.Contains("[TikTokAds.", StringComparison.Ordinal)).Select(f => MethodName(f.Symbol)).Distinct())
        {
            inclusive[name] = inclusive.GetValueOrDefault(name) + 1;
        }
    }
    foreach (var (name, count) in inclusive.OrderByDescending(p => p.Value).Take(top))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / mine.Count,6:0.0}%  {name}"));
    }
}
var postgres = samples.Where(s => s.Command.StartsWith("postgres", StringComparison.Ordinal)).ToList();
if (postgres.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine($"== PostgreSQL, every backend: {postgres.Count:N0} samples; leaf functions (top {top})");
    foreach (var leaf in postgres.GroupBy(s => s.Frames.Count > 0 ? $"{s.Frames[0].Symbol} ({Path.GetFileName(s.Frames[0].Library)})" : "?").OrderByDescending(g => g.Count()).Take(top))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * leaf.Count() / postgres.Count,6:0.0}%  {leaf.Key}"));
    }
}
return 0;

string RoleOf(Sample sample) => sample.Pid == 0 ? "idle"
    : roles.TryGetValue(sample.Pid, out var role) ? role
    : sample.Command.StartsWith("postgres", StringComparison.Ordinal) ? "PostgreSQL (every backend)"
    : $"other ({sample.Command})";

// Which part of the stack a sample belongs to: the leaf's library for native code, else the first managed frame
// (from the leaf) of a known assembly, passing over the base library's frames when a caller names a component.
static string Component(Sample sample)
{
    if (sample.Frames.Count == 0)
    {
        return "?";
    }
    var leaf = sample.Frames[0].Library;
    if (leaf.Contains("libcoreclr", StringComparison.Ordinal) || leaf.Contains("libclrjit", StringComparison.Ordinal))
    {
        return "runtime (libcoreclr: garbage collector, type system, stubs, JIT)";
    }
    if (leaf.Contains("kernel", StringComparison.Ordinal))
    {
        return "kernel (sockets, scheduling, memory)";
    }
    if (leaf.Contains("libcrypto", StringComparison.Ordinal) || leaf.Contains("OpenSsl", StringComparison.Ordinal) || leaf.Contains("libssl", StringComparison.Ordinal))
    {
        return "OpenSSL (SHA-256, TLS)";
    }
    string? corelib = null;
    foreach (var frame in sample.Frames)
    {
        foreach (var (marker, name) in Components)
        {
            if (frame.Symbol.Contains(marker, StringComparison.Ordinal))
            {
                if (name != "base library (System.Private.CoreLib)")
                {
                    return name;
                }
                corelib ??= name;
            }
        }
    }
    return corelib ?? $"other native ({Path.GetFileName(leaf)})";
}

static string MethodName(string symbol)
{
    var name = Regex.Replace(symbol, @"\[[^\]]*\]", "");
    var paren = name.IndexOf('(', StringComparison.Ordinal);
    name = paren > 0 ? name[..paren] : name;
    return name.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? symbol;
}

static Dictionary<int, string> Roles(string path)
{
    var roles = new Dictionary<int, string>();
    foreach (var line in File.ReadLines(path))
    {
        var match = Regex.Match(line, @"^\s*(\d+)\s+(.*)$");
        if (!match.Success)
        {
            continue;
        }
        var pid = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var command = match.Groups[2].Value;
        var role = command.Contains("TikTokAds.Node.dll", StringComparison.Ordinal) ? "node"
            : command.Contains("TikTokAds.Benchmarks.dll node", StringComparison.Ordinal) ? "no-op endpoint (bench node)"
            : command.Contains("TikTokAds.Benchmarks", StringComparison.Ordinal) && command.Contains(" goals", StringComparison.Ordinal) && !command.StartsWith("dotnet run", StringComparison.Ordinal) ? "load generator + sandbox"
            : null;
        if (role is not null)
        {
            roles[pid] = role;
        }
    }
    return roles;
}

static IEnumerable<Sample> Samples(string path)
{
    Sample? current = null;
    var header = new Regex(@"^(.+?)\s+(\d+)/(\d+)\s+([\d.]+):\s*$");
    var frame = new Regex(@"^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$");
    foreach (var line in File.ReadLines(path))
    {
        if (line.Length == 0)
        {
            if (current is not null)
            {
                yield return current;
            }
            current = null;
            continue;
        }
        if (header.Match(line) is { Success: true } h)
        {
            current = new Sample(h.Groups[1].Value.Trim(), int.Parse(h.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(h.Groups[4].Value, CultureInfo.InvariantCulture), []);
        }
        else if (current is not null && frame.Match(line) is { Success: true } f)
        {
            current.Frames.Add((f.Groups[1].Value, f.Groups[2].Value));
        }
    }
    if (current is not null)
    {
        yield return current;
    }
}

internal sealed record Sample(string Command, int Pid, double Time, List<(string Symbol, string Library)> Frames);

internal static partial class Program
{
    private static readonly (string Marker, string Name)[] Components =
    [
        ("[TikTokAds.", "this project"),
        ("[Orleans.Dashboard", "Orleans dashboard"),
        ("[Orleans.", "Orleans"),
        ("[Npgsql", "Npgsql"),
        ("[OpenTelemetry", "OpenTelemetry"),
        ("[System.Text.Json]", "System.Text.Json"),
        ("[Microsoft.AspNetCore.Server.Kestrel", "Kestrel"),
        ("[Microsoft.AspNetCore", "ASP.NET Core (middleware, routing, auth, rate limiting)"),
        ("[Microsoft.Extensions", "Microsoft.Extensions (DI, logging, options)"),
        ("[System.Net", "System.Net (sockets, HttpClient)"),
        ("[System.Diagnostics", "System.Diagnostics (activities, metrics)"),
        ("[Polly", "Polly"),
        ("[System.Private.CoreLib]", "base library (System.Private.CoreLib)"),
    ];
}
