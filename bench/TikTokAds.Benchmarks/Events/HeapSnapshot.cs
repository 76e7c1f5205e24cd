using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// A process's live managed objects by type. <c>dotnet-gcdump collect</c> forces a full GC; then, when
/// <c>dotnet-dump</c> is installed, a heap dump's <c>dumpheap -stat</c> gives exact bytes by type (the gcdump
/// report's per-type bytes are wrong for small objects on .NET 10: 6,988 strings shown as 22 bytes). Without
/// dotnet-dump the gcdump report serves, its bytes approximate. The tools run as child processes.
/// </summary>
internal sealed partial record HeapSnapshot(long Bytes, long Objects, IReadOnlyDictionary<string, (long Bytes, long Count)> Types, string Source)
{
    /// <summary>Whether the repository's local tools (.config/dotnet-tools.json) restored; declared first, as the tools below read it.</summary>
    private static readonly Lazy<bool> LocalToolsRestored = new(RestoreLocalTools);

    /// <summary>
    /// The tools: installed globally (dotnet tool install -g), or else the repository's local ones (restored here, once,
    /// on first use), or null when neither is there.
    /// </summary>
    public static Tool? GcDump { get; } = FindTool("dotnet-gcdump");
    public static Tool? Dump { get; } = FindTool("dotnet-dump");

    public long CountOf(string type) => Types.TryGetValue(type, out var t) ? t.Count : 0;

    public static async Task<HeapSnapshot?> TakeAsync(int processId, string label)
    {
        if (GcDump is null)
        {
            return null;
        }
        var pid = processId.ToString(CultureInfo.InvariantCulture);
        var gcdump = Path.Combine(Path.GetTempPath(), $"tiktokads-{pid}-{label}.gcdump");
        var dump = Path.Combine(Path.GetTempPath(), $"tiktokads-{pid}-{label}.dmp");
        try
        {
            await RunAsync(GcDump, "collect", "-p", pid, "-o", gcdump);
            if (Dump is null)
            {
                return Parse(GcDumpRow(), await RunAsync(GcDump, "report", gcdump), "dotnet-gcdump report (approximate bytes)");
            }
            await RunAsync(Dump, "collect", "-p", pid, "--type", "Heap", "-o", dump);
            return Parse(DumpHeapRow(), await RunAsync(Dump, "analyze", dump, "-c", "dumpheap -stat", "-c", "exit"), "dotnet-dump dumpheap -stat after the gcdump's full GC");
        }
        finally
        {
            File.Delete(gcdump);
            File.Delete(dump);
        }
    }

    /// <summary>Types by bytes gained from <paramref name="before"/> to this snapshot, largest first.</summary>
    public IEnumerable<(string Type, long Bytes, long Count)> GrowthSince(HeapSnapshot before)
        => Types.Select(t => (Type: t.Key, Bytes: t.Value.Bytes - (before.Types.TryGetValue(t.Key, out var b) ? b.Bytes : 0),
                              Count: t.Value.Count - (before.Types.TryGetValue(t.Key, out var c) ? c.Count : 0)))
            .OrderByDescending(t => t.Bytes);

    private static HeapSnapshot Parse(Regex rows, string report, string source)
    {
        var types = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        foreach (Match row in rows.Matches(report))
        {
            // The report splits a type into size classes ("(Bytes > 1K)"): one line per type here.
            var type = row.Groups["type"].Value.Trim();
            var (bytes, count) = types.GetValueOrDefault(type);
            types[type] = (bytes + Number(row.Groups["bytes"].Value), count + Number(row.Groups["count"].Value));
        }
        // Free space between objects is the heap's, not any object's.
        types.Remove("Free");
        return new HeapSnapshot(types.Values.Sum(t => t.Bytes), types.Values.Sum(t => t.Count), types, source);
    }

    private static long Number(string text) => long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    /// <summary>dotnet-gcdump report: bytes, count, type, an optional size class, [assembly].</summary>
    [GeneratedRegex(@"^\s*(?<bytes>[\d,]+)\s+(?<count>[\d,]+)\s+(?<type>.+?)(\s+\(Bytes > [^)]*\))?\s+\[[^\]]*\]\s*$", RegexOptions.Multiline)]
    private static partial Regex GcDumpRow();

    /// <summary>SOS dumpheap -stat: method table, count, total size, type.</summary>
    [GeneratedRegex(@"^\s*[0-9a-f]{8,16}\s+(?<count>[\d,]+)\s+(?<bytes>[\d,]+)\s+(?<type>\S.*?)\s*$", RegexOptions.Multiline)]
    private static partial Regex DumpHeapRow();

    private static async Task<string> RunAsync(Tool tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool.File) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in tool.Prefix.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool.Name} {arguments[0]} exited with {process.ExitCode}: {await error}{await output}");
        }
        return await output;
    }

    private static Tool? FindTool(string name)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append(Path.Combine(home, ".dotnet", "tools"));
        if (candidates.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists) is { } installed)
        {
            return new Tool(name, installed, []);
        }
        return LocalToolsRestored.Value ? new Tool(name, "dotnet", ["tool", "run", name, "--"]) : null;
    }

    private static bool RestoreLocalTools()
    {
        try
        {
            // Run from the repository (the README's commands are): that is where dotnet finds the manifest.
            return RunAsync(new Tool("dotnet tool", "dotnet", ["tool"]), "restore").Wait(TimeSpan.FromMinutes(5));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>How to start a tool: its file, and the arguments that go before the tool's own.</summary>
    internal sealed record Tool(string Name, string File, string[] Prefix);
}
