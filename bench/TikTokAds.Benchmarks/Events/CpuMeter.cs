using System.Diagnostics;
using System.Globalization;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// Where the machine's CPU went during one measurement: the node process, every PostgreSQL process, and this
/// process (load generator and in-process sandbox), read from /proc before and after. Divided by the work done,
/// it says how many microseconds of each party's CPU one event costs.
/// </summary>
internal sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly int _node;
    private readonly (double Node, double Postgres, double Self, double Machine, double Stolen) _start;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly WalUse? _walStart;

    private CpuMeter(int node)
    {
        _node = node;
        _walStart = WalUse.Read();
        _start = Read();
    }

    public static CpuMeter Start(int nodeProcessId) => new(nodeProcessId);

    /// <summary>
    /// A closed-loop run (<see cref="Load.RunAsync"/>) and what each party spent during its measured part: the meter starts
    /// after the run's short warm-up. With <paramref name="nodeGc"/> (the node's collections, e.g. <see cref="GcTotals.ReadAsync"/>),
    /// also what the node allocated (<see cref="AllocationMeter"/>) and collected in that part.
    /// </summary>
    public static async Task<(LoadResult Load, CpuUse Cpu)> RunAsync(int nodeProcessId, TimeSpan duration, int concurrency, Func<int, Task<int>> operation, Func<Task<GcTotals>>? nodeGc = null)
    {
        CpuMeter? meter = null;
        NodeWindow? window = null;
        try
        {
            var load = await Load.RunAsync(duration, concurrency, operation, async () =>
            {
                if (nodeGc is null)
                {
                    meter = Start(nodeProcessId);
                }
                else
                {
                    window = await NodeWindow.StartAsync(nodeProcessId, nodeGc);
                }
            });
            return (load, window is null ? meter!.Stop() : await window.StopAsync());
        }
        finally
        {
            if (window is not null)
            {
                await window.DisposeAsync();
            }
        }
    }

    /// <summary>CPU seconds since the start, per party, and the machine's busy seconds (all processes).</summary>
    public CpuUse Stop()
    {
        var end = Read();
        var wal = _walStart is null ? null : WalUse.Read() - _walStart;
        return new(end.Node - _start.Node, end.Postgres - _start.Postgres, end.Self - _start.Self, end.Machine - _start.Machine, _clock.Elapsed.TotalSeconds, end.Stolen - _start.Stolen, wal);
    }

    private (double Node, double Postgres, double Self, double Machine, double Stolen) Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return default;
        }
        double node = 0, postgres = 0, self = 0;
        var me = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            var seconds = ProcessSeconds(pid, out var name, out var reaped);
            if (pid == _node)
            {
                node = seconds;
            }
            else if (pid == me)
            {
                self = seconds;
            }
            else if (name == "postgres")
            {
                // With what its ended children used: the postmaster reaps backends that close during a measurement,
                // whose own counters vanish with them (a baseline's connections closing made PostgreSQL's share negative).
                postgres += seconds + reaped;
            }
        }
        var (busy, stolen) = MachineSeconds();
        return (node, postgres, self, busy, stolen);
    }

    private static double ProcessSeconds(int pid, out string name, out double reaped)
    {
        name = "";
        reaped = 0;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            name = stat[(open + 1)..close];
            // Fields after the name: state is field 3; utime and stime are fields 14 and 15, and the time of waited-for
            // children, cutime and cstime, fields 16 and 17.
            var fields = stat[(close + 2)..].Split(' ');
            reaped = (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond;
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0; // the process ended between the listing and the read
        }
    }

    /// <summary>This VM's busy seconds (all but idle, iowait and steal), and the seconds the hypervisor gave to others (steal).</summary>
    private static (double Busy, double Stolen) MachineSeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // user nice system idle iowait irq softirq steal
        var values = cpu.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return ((values.Sum() - values[3] - values[4] - values[7]) / TicksPerSecond, values[7] / TicksPerSecond);
    }
}

/// <summary>
/// One measured window of the node: the CPU meter, what the node allocated (<see cref="AllocationMeter"/>) and its
/// collections (<c>nodeGc</c>, e.g. <see cref="GcTotals.ReadAsync"/>), started together and read together.
/// </summary>
internal sealed class NodeWindow : IAsyncDisposable
{
    private readonly Func<Task<GcTotals>> _nodeGc;
    private readonly GcTotals _gcBefore;
    private readonly AllocationMeter _allocations;
    private readonly CpuMeter _meter;

    private NodeWindow(Func<Task<GcTotals>> nodeGc, GcTotals gcBefore, AllocationMeter allocations, CpuMeter meter)
        => (_nodeGc, _gcBefore, _allocations, _meter) = (nodeGc, gcBefore, allocations, meter);

    public static async Task<NodeWindow> StartAsync(int nodeProcessId, Func<Task<GcTotals>> nodeGc)
    {
        var gcBefore = await nodeGc();
        var allocations = AllocationMeter.Start(nodeProcessId);
        return new NodeWindow(nodeGc, gcBefore, allocations, CpuMeter.Start(nodeProcessId));
    }

    /// <summary>What each party spent since the start, with what the node allocated and collected meanwhile.</summary>
    public async Task<CpuUse> StopAsync()
    {
        var cpu = _meter.Stop();
        return cpu with { NodeAllocated = await _allocations.StopAsync(), NodeGc = (await _nodeGc()).Since(_gcBefore) };
    }

    /// <summary>Stops the allocation events' session if <see cref="StopAsync"/> did not.</summary>
    public ValueTask DisposeAsync() => _allocations.DisposeAsync();
}

/// <summary>CPU seconds spent by each party during a measurement of <see cref="Seconds"/> wall-clock seconds.</summary>
internal sealed record CpuUse(double Node, double Postgres, double Self, double Machine, double Seconds, double Stolen = 0, WalUse? Wal = null, GcTotals? NodeGc = null, long? NodeAllocated = null)
{
    /// <summary>
    /// "node's collector: 3,200 B allocated an event (64 MB a second); 120 ms paused in …", when the node's allocations
    /// and collections were read (<see cref="CpuMeter.RunAsync"/>), else null.
    /// </summary>
    public string? Collector(double units, string unit) => NodeGc is null || NodeAllocated is not { } bytes ? null : string.Create(CultureInfo.InvariantCulture,
        $"node's collector: {bytes / units:N0} B allocated {(unit[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a")} {unit} ({bytes / Seconds / 1e6:N0} MB a second, from its allocation events); {NodeGc}");

    /// <summary>"node 112 µs, PostgreSQL 40 µs, generator+sandbox 30 µs, other 5 µs per event; machine 1.9 of N cores busy".</summary>
    public string PerUnit(double units, string unit)
    {
        var other = Math.Max(0, Machine - Node - Postgres - Self);
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU per {unit}: node {Node / units * 1e6:0} µs, PostgreSQL {Postgres / units * 1e6:0} µs, load generator+sandbox {Self / units * 1e6:0} µs, everything else {other / units * 1e6:0} µs; {Machine / Seconds:0.00} of {Environment.ProcessorCount} cores busy, {Stolen / Seconds:0.00} taken by the hypervisor (steal){Wal?.PerUnit(units, unit)}");
    }

    /// <summary>
    /// How many units a second the machine could do at this CPU per unit with every core busy, and that against
    /// <paramref name="baseline"/>: the most a figure could reach here without spending less CPU per unit.
    /// </summary>
    public string Ceiling(double units, string unit, double baseline)
    {
        var rate = Environment.ProcessorCount / (Machine / units);
        return string.Create(CultureInfo.InvariantCulture,
            $"ceiling at this CPU per {unit} ({Machine / units * 1e6:0} µs of the machine): {rate:N0} {unit}s/s with all {Environment.ProcessorCount} cores busy, {rate / baseline:0.000} of the baseline");
    }
}

/// <summary>
/// What PostgreSQL wrote to its WAL during a measurement, and the checkpoints that began in it: the bytes (exact,
/// from the WAL position), full-page images and records (pg_stat_wal, which backends report up to a second late).
/// After a checkpoint, the first change to each page writes the whole 8 kB page to the WAL: a window with a
/// checkpoint in it pays PostgreSQL CPU and WAL for that, and one without does not.
/// </summary>
internal sealed record WalUse(long Bytes, long FullPageImages, long Records, long Checkpoints)
{
    private static readonly Npgsql.NpgsqlDataSource? Source =
        Environment.GetEnvironmentVariable("TIKTOKADS_TEST_POSTGRES") is { Length: > 0 } connectionString ? Npgsql.NpgsqlDataSource.Create(connectionString) : null;

    /// <summary>The counters now, or null without a PostgreSQL (or one without these views).</summary>
    public static WalUse? Read()
    {
        if (Source is null)
        {
            return null;
        }
        try
        {
            using var command = Source.CreateCommand(
                "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint, w.wal_fpi, w.wal_records, b.checkpoints_timed + b.checkpoints_req FROM pg_stat_wal w, pg_stat_bgwriter b");
            using var reader = command.ExecuteReader();
            reader.Read();
            return new(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
        catch (Npgsql.NpgsqlException)
        {
            return null;
        }
    }

    public static WalUse? operator -(WalUse? end, WalUse start) =>
        end is null ? null : new(end.Bytes - start.Bytes, end.FullPageImages - start.FullPageImages, end.Records - start.Records, end.Checkpoints - start.Checkpoints);

    /// <summary>"; WAL per event: 1,204 B, 0.21 full-page images, 3.1 records; 1 checkpoint began in the window".</summary>
    public string PerUnit(double units, string unit) => string.Create(CultureInfo.InvariantCulture,
        $"; WAL per {unit}: {Bytes / units:N0} B, {FullPageImages / units:0.00} full-page images, {Records / units:0.0} records; {Checkpoints} checkpoint{(Checkpoints == 1 ? "" : "s")} began in the window");
}
