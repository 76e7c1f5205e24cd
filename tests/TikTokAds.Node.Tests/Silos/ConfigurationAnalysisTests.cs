using System.Diagnostics;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>
/// Orleans' configuration analysis is on: a grain method whose types have no codec stops the node at
/// start-up. The node runs as its own process (tests/TikTokAds.CodecCheck), so the faulty grain never
/// enters this test process; every other node of the suite starting is the control.
/// </summary>
public sealed class ConfigurationAnalysisTests
{
    [Fact]
    public async Task A_node_with_a_grain_message_that_has_no_codec_refuses_to_start()
    {
        var (exit, output) = await RunAsync();

        Assert.Equal(3, exit);
        Assert.Contains("UncodedMessage has no serializer or copier", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] arguments)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var program = Path.Combine(RepositoryRoot.Path, "tests", "TikTokAds.CodecCheck", "bin", output.Parent!.Name, output.Name, "TikTokAds.CodecCheck.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
