using System.Diagnostics;
using System.Globalization;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// P5's baseline client in a process of its own: the same hashed members, requests and client as the baseline round,
/// sent from outside the process that holds the sandbox, as the node's are. It hashes its members once, when it starts,
/// and parses and stores nothing. Its pace against the baseline's says how fast a sender from another process gets here
/// with none of the service's own work. Each round it collects its heap before its clock starts, as the baseline's
/// process does, and times its own sends. Standard output carries only the protocol; its logs go to standard error.
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
        ArgumentNullException.ThrowIfNull(token);
        // The token goes on standard input, not the command line, where any process could read it.
        var info = GeneratorProcess.ThisProgram([Suite, apiBaseUrl, advertiserId, members.ToString(CultureInfo.InvariantCulture), inFlight.ToString(CultureInfo.InvariantCulture)]);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        var sender = new SeparateSender(process);
        try
        {
            await process.StandardInput.WriteLineAsync(token);
            await process.StandardInput.FlushAsync();
            // Hashing its members takes it a second or two; a sender that never gets there must not hang the bench.
            if (await sender.AnswerAsync("ready").WaitAsync(TimeSpan.FromMinutes(2)) is null)
            {
                throw new InvalidOperationException("The separate sender ended before it was ready.");
            }
        }
        catch
        {
            await sender.DisposeAsync();
            throw;
        }
        return sender;
    }

    /// <summary>Every member into the audience, the sender's way; the seconds it took and the CPU it used, by its own reading.</summary>
    public async Task<(double Seconds, TimeSpan Cpu)> SendAsync(string audienceId)
    {
        await _process.StandardInput.WriteLineAsync(audienceId);
        await _process.StandardInput.FlushAsync();
        var answer = await AnswerAsync("sent ") ?? throw new InvalidOperationException("The separate sender ended without an answer.");
        var figures = answer.Split(' ');
        return (double.Parse(figures[1], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(figures[2], CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The next line of the sender's that starts with <paramref name="prefix"/>; null once its output ends. Any other
    /// line is not the protocol's, and is shown on standard error rather than read as an answer.
    /// </summary>
    private async Task<string?> AnswerAsync(string prefix)
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
            await Console.Error.WriteLineAsync($"  separate sender: {line}");
        }
        return null;
    }

    /// <summary>Closes the sender's input, which ends it; kills it if it has not ended within ten seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    /// <summary>Whether these arguments start the sender's side.</summary>
    public static bool IsSender(string[] args) => args.Length > 0 && args[0] == Suite;

    /// <summary>
    /// The sender's side: reads the token, then audience ids on standard input until it closes. For each it collects
    /// its heap, sends every member, and answers "sent" with the seconds from its first request to its last answer and
    /// the CPU its process used in them.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (apiBaseUrl, advertiserId) = (args[1], args[2]);
        var members = int.Parse(args[3], CultureInfo.InvariantCulture);
        var inFlight = int.Parse(args[4], CultureInfo.InvariantCulture);
        // Console.In's reads block the calling thread until a line comes: nothing else runs in this process then.
        var token = await Console.In.ReadLineAsync() ?? throw new InvalidOperationException("No token on standard input.");
        using var client = AudienceBenchmark.RawClient(apiBaseUrl, logToStandardError: true);
        var hashed = AudienceBenchmark.Hashed(AudienceBenchmark.Emails(members));
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { Length: > 0 } audienceId)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var self = Process.GetCurrentProcess();
            var cpu = AudienceBenchmark.CpuOf(self);
            var clock = Stopwatch.StartNew();
            await AudienceBenchmark.SendChunksAsync(client.Client, token, advertiserId, hashed, audienceId, inFlight);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent {seconds:R} {(AudienceBenchmark.CpuOf(self) - cpu).TotalSeconds:R}"));
        }
        return 0;
    }
}
