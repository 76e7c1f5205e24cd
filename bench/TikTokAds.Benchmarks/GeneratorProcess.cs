using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks;

/// <summary>
/// This process is the load generator, hosts the in-process TikTok sandbox and runs the baselines that are not a node
/// (COPY, INSERT, the sandbox's raw ingest). It runs with the collector's settings a node runs with
/// (<see cref="NodeProcess.NodeGen0Budget"/>), so that a baseline is measured in the same kind of process as its
/// figure. Without it, on a machine that reports no cache, the collector gives gen0 a budget of a few MB: in P5 this
/// process then collected 28 times and paused for 150-230 ms in a round of 0.3-0.5 s (thirty-third pass). The runtime
/// reads that budget only from the environment, when it starts, so the bench starts itself again with it.
/// </summary>
internal static class GeneratorProcess
{
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>This program again, with the same arguments and console, the budget set; its exit code.</summary>
    public static async Task<int> RunAgainAsync(string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("No path for this process.");
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment[Gen0BudgetVariable] = NodeProcess.NodeGen0Budget;
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {host}.");
        // Ctrl-C reaches both processes through the terminal; a SIGTERM sent to this one alone (a timeout's, say) ends
        // the child and the nodes it started too, rather than leaving them running.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            child.Kill(entireProcessTree: true);
        });
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
