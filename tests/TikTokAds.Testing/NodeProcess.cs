using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TikTokAds.Testing;

/// <summary>A node running as its own process on a loopback port, so a test can SIGKILL or SIGTERM it.</summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    /// <summary>The Orleans silo port of a clustered node: "127.0.0.1:{SiloPort}" is how the cluster names it.</summary>
    public int SiloPort { get; private init; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// The collector's smallest gen0 budget for a node (DOTNET_GCgen0size, hexadecimal bytes: 64 MB), which the
    /// Dockerfile and launchSettings.json set too. By default the collector sizes it from the L3 cache the machine
    /// reports, and a virtual machine that reports none got a budget of a few MB: a 1,000-event request keeps several
    /// MB alive for its ~200 ms, so every collection copied requests still in flight into older generations, 20
    /// collections a second paused the node for 16 % of the time (docs/BENCHMARKS.md, fifteenth pass).
    /// </summary>
    public const string NodeGen0Budget = "0x4000000";

    /// <summary>Starts `dotnet {assembly} {arguments}` with --urls on a free port and the given configuration.</summary>
    /// <param name="serverCollector">
    /// The server garbage collector, as a published node runs (the web SDK's default: System.GC.Server in the node's
    /// runtimeconfig.json), instead of the workstation one. Tests keep the workstation collector, lighter for several
    /// nodes on one machine; the goals benchmark measures nodes as they ship (docs/BENCHMARKS.md, thirty-sixth pass).
    /// </param>
    public static NodeProcess Start(string assemblyPath, IReadOnlyDictionary<string, string> settings, int? port = null, IReadOnlyList<string>? arguments = null, bool serverCollector = false)
    {
        var chosen = port ?? FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        info.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{chosen}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = serverCollector ? "1" : "0";
        // As the Dockerfile and launchSettings.json start nodes (NodeGen0Budget).
        info.Environment["DOTNET_GCgen0size"] = NodeGen0Budget;
        // Each node its own silo and gateway ports, so several can share the machine (embedded nodes pick their own).
        info.Environment["Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var siloPort = int.Parse(info.Environment["Cluster__SiloPort"]!, System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {assemblyPath}.");
        var node = new NodeProcess(process, chosen) { SiloPort = siloPort };
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits until /health/ready answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node on port {Port} exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Node on port {Port} not ready after {limit}:\n{Output}");
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end; true when it did, with all its output read.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        // The parameterless wait returns once the redirected output has been read to its end.
        _process.WaitForExit();
        return true;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no goodbye to membership.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the graceful stop a container runtime sends.</summary>
    public async Task TerminateAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed for process {_process.Id}.");
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
