using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// GcPauses <file.nettrace>
// One line per collection the trace holds (keyword GC, level Informational, as bench/gc-pauses.sh records it):
// when it started, its generation, kind and reason (what triggered it), how long the process was paused, the bytes it promoted, the time spent
// marking from the older generations (the card table) and from stacks, gen0 before it, and the older generations after it.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: GcPauses <file.nettrace>");
    return 2;
}
using var source = new EventPipeEventSource(args[0]);
source.NeedLoadedDotNetRuntimes();
try
{
    source.Process();
}
catch (FormatException e)
{
    // A trace whose process exited before the session was stopped ends in a partial block; what came before it stands.
    Console.WriteLine($"(the trace ends in an incomplete block: {e.Message} The collections before it are listed.)");
}
foreach (var process in source.Processes())
{
    if (process.LoadedDotNetRuntime() is not { } runtime || runtime.GC.GCs.Count == 0)
    {
        continue;
    }
    // A collection whose end the trace does not hold (its last block cut off) has no pause to report.
    var collections = runtime.GC.GCs.Where(gc => gc.IsComplete).ToList();
    if (collections.Count == 0)
    {
        continue;
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process {process.ProcessID}: {collections.Count} collections"));
    Console.WriteLine("  start s  gen  kind                 reason           paused ms  promoted MB  mark older ms  mark stacks ms  gen0 before MB  after: gen1 MB  gen2 MB  LOH MB");
    foreach (var gc in collections)
    {
        var heap = gc.HeapStats;
        // Workstation collector: one heap. Mark times are per root kind (MarkOlder: references found through the card
        // table from older generations; MarkStack: thread stacks); a kind with no time recorded prints "-".
        var marks = gc.PerHeapMarkTimes?.Values.FirstOrDefault();
        string Mark(MarkRootType kind) => marks is { } m && (int)kind < m.MarkTimes.Length && m.MarkTimes[(int)kind] > 0
            ? m.MarkTimes[(int)kind].ToString("F1", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {gc.StartRelativeMSec / 1000,7:F2}  {gc.Generation,3}  {gc.Type,-19}  {gc.Reason,-15}  {gc.PauseDurationMSec,9:F1}  {gc.PromotedMB,11:F1}  {Mark(MarkRootType.MarkOlder),13}  {Mark(MarkRootType.MarkStack),14}  {gc.GenSizeBeforeMB[(int)Gens.Gen0],14:F1}  {(heap?.GenerationSize1 ?? 0) / 1e6,14:F1}  {(heap?.GenerationSize2 ?? 0) / 1e6,7:F1}  {(heap?.GenerationSize3 ?? 0) / 1e6,6:F1}"));
    }
    var paused = collections.Sum(gc => gc.PauseDurationMSec);
    var span = (collections[^1].StartRelativeMSec - collections[0].StartRelativeMSec) / 1000;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  paused {paused:F0} ms in all; {collections.Count - 1} intervals over {span:F1} s"));
}
return 0;
