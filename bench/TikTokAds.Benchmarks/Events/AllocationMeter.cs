using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// What a process allocates while the meter runs, from the runtime's own allocation events (GCAllocationTick: one per
/// ~100 KB a thread allocates, carrying the amount since the last), read over an EventPipe session on the process.
/// Not the runtime's allocated-bytes counter (dotnet.gc.heap.total_allocated on a node's /metrics): under the server
/// collector that count stood still for 20 s while the node allocated and collected (docs/BENCHMARKS.md, thirty-seventh
/// pass), so a 10 s window read 0 B.
/// </summary>
internal sealed class AllocationMeter
{
    private const long GcKeyword = 0x1;
    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private long _bytes;

    private AllocationMeter(int processId)
    {
        // No stacks: a stack walk for each event would cost the measured process more than the events themselves.
        _session = new DiagnosticsClient(processId).StartEventPipeSession(new EventPipeSessionConfiguration(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, GcKeyword)], circularBufferSizeMB: 64, requestRundown: false, requestStackwalk: false));
        var source = new EventPipeEventSource(_session.EventStream);
        source.Clr.GCAllocationTick += tick => Interlocked.Add(ref _bytes, tick.AllocationAmount64);
        _reading = Task.Run(source.Process);
    }

    public static AllocationMeter Start(int processId) => new(processId);

    /// <summary>Ends the session and returns the bytes its events counted, each thread's last ~100 KB not included.</summary>
    public async Task<long> StopAsync()
    {
        await _session.StopAsync(CancellationToken.None);
        await _reading;
        _session.Dispose();
        return Interlocked.Read(ref _bytes);
    }
}
