using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// TraceSummary <file.nettrace> [top N] [filter substring...] [--callers=Frame] [--from-ms=A --to-ms=B] [--type=Name] [--under=Frame]
// --from-ms/--to-ms keep only events that far into the trace (TimeStampRelativeMSec): one measured window of a
// longer trace. --type keeps only allocations of types whose name contains it, to see where one type comes from.
// --under keeps only allocations with a frame containing it on their stack, to see what one call allocates. With
// filters, allocations are also charged to the frame nearest the leaf that matches one ("nearest").
// Counts only samples of threads running managed code (the sample profiler's "managed" type), so threads
// parked in waits do not drown the picture; prints frames by inclusive and exclusive share of those samples,
// and, from the GC events if the trace has them, bytes allocated.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: TraceSummary <file.nettrace> [top] [filter...] [--callers=Frame] [--from-ms=A --to-ms=B] [--type=Name] [--under=Frame]");
    return 2;
}
var top = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
var callersOf = args.Skip(2).FirstOrDefault(a => a.StartsWith("--callers=", StringComparison.Ordinal))?["--callers=".Length..];
var filters = args.Skip(2).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
double Option(string name, double fallback) => args.Skip(2).FirstOrDefault(a => a.StartsWith(name, StringComparison.Ordinal)) is { } given
    ? double.Parse(given[name.Length..], CultureInfo.InvariantCulture) : fallback;
var fromMs = Option("--from-ms=", double.NegativeInfinity);
var toMs = Option("--to-ms=", double.PositiveInfinity);
var typeOnly = args.Skip(2).FirstOrDefault(a => a.StartsWith("--type=", StringComparison.Ordinal))?["--type=".Length..];
var under = args.Skip(2).FirstOrDefault(a => a.StartsWith("--under=", StringComparison.Ordinal))?["--under=".Length..];
var chains = new Dictionary<string, int>();
var etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
using var log = new TraceLog(etlx);
var inclusive = new Dictionary<string, int>();
var exclusive = new Dictionary<string, int>();
int running = 0, all = 0;
var allocatedByType = new Dictionary<string, long>();
var allocatedByFrame = new Dictionary<string, long>();
var allocatedByNearest = new Dictionary<string, long>();
long allocated = 0;
foreach (var e in log.Events)
{
    if (e.TimeStampRelativeMSec < fromMs || e.TimeStampRelativeMSec > toMs)
    {
        continue;
    }
    if (e is GCAllocationTickTraceData tick)
    {
        if (typeOnly is not null && tick.TypeName?.Contains(typeOnly, StringComparison.Ordinal) != true)
        {
            continue;
        }
        if (under is not null && !OnStack(tick.CallStack(), under))
        {
            continue;
        }
        // One event per ~100 KB allocated: its type and stack stand for that 100 KB.
        allocated += tick.AllocationAmount64;
        allocatedByType[tick.TypeName ?? "?"] = allocatedByType.GetValueOrDefault(tick.TypeName ?? "?") + tick.AllocationAmount64;
        var ours = new HashSet<string>();
        for (var frame = tick.CallStack(); frame is not null; frame = frame.Caller)
        {
            var name = frame.CodeAddress.FullMethodName ?? "";
            if ((filters.Length == 0 || filters.Any(f => name.Contains(f, StringComparison.Ordinal))) && ours.Add(name))
            {
                if (ours.Count == 1 && filters.Length > 0)
                {
                    allocatedByNearest[name] = allocatedByNearest.GetValueOrDefault(name) + tick.AllocationAmount64;
                }
                allocatedByFrame[name] = allocatedByFrame.GetValueOrDefault(name) + tick.AllocationAmount64;
            }
        }
        continue;
    }
    if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || e.EventName != "Thread/Sample")
    {
        continue;
    }
    all++;
    // Payload: 1 = external (native code or waiting), 2 = managed code running.
    var kind = e.EventDataLength >= 4 ? BitConverter.ToInt32(e.EventData(), 0) : 0;
    var stack = e.CallStack();
    if (kind != 2 || stack is null)
    {
        continue;
    }
    running++;
    if (callersOf is not null)
    {
        // The first frame matching, then its next callers that are not framework plumbing.
        var names = new List<string>();
        for (var f = stack; f is not null; f = f.Caller)
        {
            names.Add(f.CodeAddress.FullMethodName ?? "?");
        }
        var at = names.FindIndex(n => n.Contains(callersOf, StringComparison.Ordinal));
        if (at >= 0)
        {
            var chain = string.Join("  <-  ", names.Skip(at).Where(n => !n.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal) && !n.StartsWith("System.Threading.ExecutionContext", StringComparison.Ordinal))
                .Take(7).Select(n => n.Length > 90 ? n[..90] : n));
            chains[chain] = chains.GetValueOrDefault(chain) + 1;
        }
    }
    var seen = new HashSet<string>();
    var first = true;
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        var name = frame.CodeAddress.FullMethodName;
        if (string.IsNullOrEmpty(name))
        {
            name = $"?{frame.CodeAddress.ModuleName}";
        }
        if (first)
        {
            exclusive[name] = exclusive.GetValueOrDefault(name) + 1;
            first = false;
        }
        if (seen.Add(name))
        {
            inclusive[name] = inclusive.GetValueOrDefault(name) + 1;
        }
    }
}
Console.WriteLine($"{args[0]}: {all:N0} thread samples, {running:N0} running managed code ({100.0 * running / Math.Max(1, all):0.0}%)");
if (callersOf is not null)
{
    Console.WriteLine($"-- callers of {callersOf}");
    foreach (var (chain, count) in chains.OrderByDescending(kv => kv.Value).Take(top))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / Math.Max(1, running),6:0.0}%  {chain}"));
    }
    return 0;
}
Print("inclusive", inclusive);
Print("exclusive", exclusive);
if (allocated > 0)
{
    Console.WriteLine($"-- allocations sampled: {allocated / 1048576.0:0.0} MB; by type");
    foreach (var (name, bytes) in allocatedByType.OrderByDescending(kv => kv.Value).Take(top))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / allocated,6:0.0}%  {name}"));
    }
    Console.WriteLine("-- by frame on the allocating stack (inclusive)");
    foreach (var (name, bytes) in allocatedByFrame.OrderByDescending(kv => kv.Value).Take(top))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / allocated,6:0.0}%  {(name.Length > 170 ? name[..170] : name)}"));
    }
    if (allocatedByNearest.Count > 0)
    {
        Console.WriteLine($"-- by the frame nearest the allocation that contains {string.Join(" | ", filters)}");
        foreach (var (name, bytes) in allocatedByNearest.OrderByDescending(kv => kv.Value).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / allocated,6:0.0}%  {(name.Length > 170 ? name[..170] : name)}"));
        }
        var charged = allocatedByNearest.Values.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * (allocated - charged) / allocated,6:0.0}%  (no frame matching on the stack)"));
    }
}
return 0;

static bool OnStack(TraceCallStack? stack, string frameName)
{
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        if (frame.CodeAddress.FullMethodName?.Contains(frameName, StringComparison.Ordinal) == true)
        {
            return true;
        }
    }
    return false;
}

void Print(string title, Dictionary<string, int> counts)
{
    Console.WriteLine($"-- top {top} by {title} share of running samples{(filters.Length > 0 ? $" (frames containing {string.Join(" | ", filters)})" : "")}");
    foreach (var (name, count) in counts.Where(kv => filters.Length == 0 || filters.Any(f => kv.Key.Contains(f, StringComparison.Ordinal)))
                 .OrderByDescending(kv => kv.Value).Take(top))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / Math.Max(1, running),6:0.0}%  {(name.Length > 170 ? name[..170] : name)}"));
    }
}
