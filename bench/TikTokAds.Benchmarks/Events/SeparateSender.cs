using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// P5's baseline client in a process of its own: the same hashed members, requests and client as the baseline round,
/// sent from outside the process that holds the sandbox, as the node's are. Nothing is parsed, hashed or stored. Its
/// pace against the baseline's says what crossing from another process costs the sandbox's ingest on this machine,
/// with none of the service's own work: a bound on what any sync run from a node can reach here.
/// </summary>
internal sealed class SeparateSender : IAsyncDisposable
{
    private const string Suite = "segment-sender";
    private readonly Process _process;

    private SeparateSender(Process process) => _process = process;

    /// <summary>
    /// This bench again as the sender, with this process's environment (so the same collector settings as the
    /// baseline's process); it hashes its members, then waits for <see cref="SendAsync"/>.
    /// </summary>
    public static async Task<SeparateSender> StartAsync(string apiBaseUrl, string token, string advertiserId, int members, int inFlight)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("No path for this process.");
        var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var arg in new[] { Suite, apiBaseUrl, token, advertiserId, members.ToString(CultureInfo.InvariantCulture), inFlight.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {host}.");
        var sender = new SeparateSender(process);
        if (await process.StandardOutput.ReadLineAsync() != "ready")
        {
            await sender.DisposeAsync();
            throw new InvalidOperationException("The separate sender did not start.");
        }
        return sender;
    }

    /// <summary>Every member into the audience, the sender's way; the seconds from the order to the last answer.</summary>
    public async Task<double> SendAsync(string audienceId)
    {
        var clock = Stopwatch.StartNew();
        await _process.StandardInput.WriteLineAsync(audienceId);
        await _process.StandardInput.FlushAsync();
        var answer = await _process.StandardOutput.ReadLineAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        return answer == "sent" ? seconds : throw new InvalidOperationException($"The separate sender answered {answer ?? "nothing"}.");
    }

    /// <summary>The CPU the sender's process has used so far.</summary>
    public TimeSpan Cpu => AudienceBenchmark.CpuOf(_process);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Whether these arguments start the sender's side.</summary>
    public static bool IsSender(string[] args) => args.Length > 0 && args[0] == Suite;

    /// <summary>
    /// The sender's side: reads audience ids on standard input until it closes, sends every member to each, and answers
    /// "sent" once the sandbox has answered every request.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (apiBaseUrl, token, advertiserId) = (args[1], args[2], args[3]);
        var members = int.Parse(args[4], CultureInfo.InvariantCulture);
        var inFlight = int.Parse(args[5], CultureInfo.InvariantCulture);
        using var client = AudienceBenchmark.RawClient(apiBaseUrl);
        var hashed = AudienceBenchmark.Hashed(AudienceBenchmark.Emails(members));
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { Length: > 0 } audienceId)
        {
            await AudienceBenchmark.SendChunksAsync(client.Client, token, advertiserId, hashed, audienceId, inFlight);
            Console.WriteLine("sent");
        }
        return 0;
    }
}
