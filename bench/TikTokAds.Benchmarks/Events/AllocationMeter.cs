using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// What a process allocates while the meter runs, from the runtime's own allocation events (GCAllocationTick: one per
/// ~100 KB a heap allocates of each kind, carrying the amount since the last), read over an EventPipe session on the process.
/// Not the runtime's allocated-bytes counter (dotnet.gc.heap.total_allocated on a node's /metrics): under the server
/// collector that count stood still for 20 s while the node allocated and collected (docs/BENCHMARKS.md, thirty-seventh
/// pass), so a 10 s window read 0 B.
/// </summary>
internal sealed class AllocationMeter : IAsyncDisposable
{
    private const long GcKeyword = 0x1;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _reading;
    private long _bytes;
    private bool _stopped;

    private AllocationMeter(int processId)
    {
        // No stacks: a stack walk for each event would cost the measured process more than the events themselves.
        _session = new DiagnosticsClient(processId).StartEventPipeSession(new EventPipeSessionConfiguration(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, GcKeyword)], circularBufferSizeMB: 64, requestRundown: false, requestStackwalk: false));
        _source = new EventPipeEventSource(_session.EventStream);
        _source.Clr.GCAllocationTick += tick => Interlocked.Add(ref _bytes, tick.AllocationAmount64);
        _reading = Task.Run(_source.Process);
    }

    public static AllocationMeter Start(int processId) => new(processId);

    /// <summary>
    /// Ends the session and returns the bytes its events counted (each heap's allocations since its last event before
    /// the end, at most ~100 KB a heap, not included).
    /// </summary>
    public async Task<long> StopAsync()
    {
        _stopped = true;
        using var timeout = new CancellationTokenSource(StopTimeout);
        await _session.StopAsync(timeout.Token);
        await _reading.WaitAsync(timeout.Token);
        return Interlocked.Read(ref _bytes);
    }

    /// <summary>Stops a session a failed measurement left running, so the process stops sending its events.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_stopped)
            {
                using var timeout = new CancellationTokenSource(StopTimeout);
                await _session.StopAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is ServerNotAvailableException or TimeoutException or OperationCanceledException or IOException)
        {
            // The process has gone, or does not answer: its session went with it.
        }
        finally
        {
            _source.Dispose();
            _session.Dispose();
        }
    }
}
