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
/// process then collected 25-29 times in a round of 0.29-0.56 s and was paused for about half of it (thirty-third
/// pass). The runtime reads that budget only from the environment, when it starts, so the bench starts itself again
/// with it unless the environment sets one (0 asks for the collector's default).
/// </summary>
internal static class GeneratorProcess
{
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>
    /// How to start this program again with <paramref name="args"/>: its host, and its assembly first when the host
    /// is <c>dotnet</c>. The environment is this process's unless the caller changes it.
    /// </summary>
    public static ProcessStartInfo ThisProgram(IEnumerable<string> args)
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
        return info;
    }

    /// <summary>This program again, with the same arguments and console, the budget set; its exit code.</summary>
    public static async Task<int> RunAgainAsync(string[] args)
    {
        var info = ThisProgram(args);
        info.Environment[Gen0BudgetVariable] = NodeProcess.NodeGen0Budget;
        using var child = new Process { StartInfo = info };
        // Ctrl-C reaches both processes through the terminal; a SIGTERM or SIGINT sent to this one alone (a timeout's,
        // say) ends the child and the nodes it started too, rather than leaving them running.
        void End(PosixSignalContext context)
        {
            context.Cancel = true;
            try
            {
                child.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Not started yet, or already gone.
            }
        }
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, End);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, End);
        if (!child.Start())
        {
            throw new InvalidOperationException($"Could not start {info.FileName}.");
        }
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
