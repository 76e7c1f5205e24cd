using System.Diagnostics;

namespace TikTokAds.Node.Tests;

/// <summary>Runs a command of the node executable, with the given settings as its environment.</summary>
internal static class NodeCli
{
    public static readonly string NodeAssembly = Path.Combine(AppContext.BaseDirectory, "TikTokAds.Node.dll");

    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(NodeAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("ConnectionStrings__Postgres");
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
