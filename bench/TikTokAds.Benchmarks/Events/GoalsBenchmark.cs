using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// Every performance goal of the service in one run (P1-P6), each figure beside its baseline measured in the
/// same run on the same machine, and the ratio. The load generator, the node, the sandbox and PostgreSQL share
/// the machine's cores in every figure.
/// </summary>
internal static class GoalsBenchmark
{
    private const string Events = "/api/integrations/tiktok-ads/events";

    public static async Task<int> RunAsync(GoalSettings settings)
    {
        var warmUp = TimeSpan.FromSeconds(settings.WarmUpSeconds);
        var duration = TimeSpan.FromSeconds(settings.Seconds);
        var maxWarmUp = TimeSpan.FromSeconds(Math.Max(settings.MaxWarmUpSeconds, settings.WarmUpSeconds));
        var rows = new List<GoalRow>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Goals benchmark: {Environment.ProcessorCount} cores shared by this load generator, the node, the in-process sandbox and PostgreSQL; each process warmed under load until its JIT is quiet ({settings.WarmUpSeconds:0.#}-{maxWarmUp.TotalSeconds:0.#} s), then {settings.Seconds:0.#} s per figure"));
        Console.WriteLine($"  PostgreSQL: {await DurabilityAsync()}");
        Console.WriteLine($"  load generator: gen0 budget {Environment.GetEnvironmentVariable(GeneratorProcess.Gen0BudgetVariable)} (DOTNET_GCgen0size; the nodes' {NodeProcess.NodeGen0Budget}, 0 the collector's default)");
        Console.WriteLine($"  nodes (and the no-op endpoint): the server collector, as a published node runs it (since the thirty-sixth pass; the workstation one before), gen0 budget {NodeProcess.NodeGen0Budget}; the load generator keeps the workstation one");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  single events: {settings.Concurrency} clients spread over {settings.SinglePixels} organizers with one pixel each; batches: {settings.BatchClients} clients, 1,000 events per request, one pixel"));

        // P2: single events on the embedded node against a no-op endpoint that parses the same body.
        if (settings.Runs("P2"))
        {
            var single = BenchCluster.SingleBody(0);
            LoadResult noop;
            // The no-op node stays up, idle, while the embedded node is measured: its latency at the same open-loop rate,
            // once the embedded node has stopped, is the floor this machine, this load generator and HTTP put under the node's.
            await using var node = NodeProcess.Start(typeof(GoalsBenchmark).Assembly.Location, new Dictionary<string, string>(), arguments: ["node"], serverCollector: true);
            await node.WaitReadyAsync();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = node.BaseAddress };
            Task<int> NoOp(int _) => PostAsync(http, "/bench/noop", single);
            var warmed = await JitWarmUp.RunAsync(JitWarmUp.FromBenchNode(http), d => Load.RunAsync(d, settings.Concurrency, NoOp), warmUp, maxWarmUp);
            ((noop, var noopCpu), var jit) = await JitWarmUp.WatchAsync(JitWarmUp.FromBenchNode(http), () => CpuMeter.RunAsync(node.ProcessId, duration, settings.Concurrency, NoOp, () => GcTotals.ReadBenchNodeAsync(http)));
            Report("baseline: no-op endpoint parsing the single-event body", noop, "req/s");
            // Here "node" is the no-op endpoint's process; the load generator's share sets what P2's budget leaves the node.
            Console.WriteLine($"    {noopCpu.PerUnit(noop.Operations, "request")}");
            Console.WriteLine($"    {noopCpu.Collector(noop.Operations, "request")}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {warmed}; JIT {jit:P1} of a core while measured"));
            var (closedRate, halfLoad) = (0.0, new LoadResult(0, 0, 0, 0, 0));
            await using (var embedded = await BenchCluster.StartAsync(postgres: false, sandboxRequestsPerSecond: 100_000, eventsPerDay: 100_000_000))
            {
                var post = await SingleEventsAsync(embedded, settings.SinglePixels, 1);
                var (closed, cpu) = await MeasureAsync(embedded, warmUp, maxWarmUp, duration, settings.Concurrency, post);
                Report("P2 node in memory: single events, closed loop", closed, "req/s");
                Console.WriteLine($"    {cpu.PerUnit(closed.Operations, "request")}");
                Console.WriteLine($"    {cpu.Collector(closed.Operations, "request")}");
                var metricsBefore = await embedded.Client.GetStringAsync("/metrics");
                var generatorPauseBefore = GC.GetTotalPauseDuration();
                var half = await Load.RunAtRateAsync(duration, closed.PerSecond / 2, post);
                var generatorPause = GC.GetTotalPauseDuration() - generatorPauseBefore;
                var metrics = await embedded.Client.GetStringAsync("/metrics");
                Report(string.Create(CultureInfo.InvariantCulture, $"P2 node in memory: single events at half that load ({closed.PerSecond / 2:N0}/s)"), half, "req/s");
                Console.WriteLine($"    {ServerLatency.Parse(metrics, Events).Since(ServerLatency.Parse(metricsBefore, Events))}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    garbage collections meanwhile: node {GcTotals.Parse(metrics).Since(GcTotals.Parse(metricsBefore))}; load generator (with the sandbox) {generatorPause.TotalMilliseconds:N0} ms paused"));
                (closedRate, halfLoad) = (closed.PerSecond, half);
            }
            var floor = await Load.RunAtRateAsync(duration, closedRate / 2, NoOp);
            Report("floor: the no-op endpoint at that rate, same load generator", floor, "req/s");
            rows.Add(new("P2", "single events/s, embedded node", closedRate, "no-op endpoint req/s", noop.PerSecond, 0.5,
                string.Create(CultureInfo.InvariantCulture, $"p99 {halfLoad.P99Ms:0.0} ms at half load (goal ≤ 5 ms; the no-op endpoint's at that rate {floor.P99Ms:0.0} ms)"), halfLoad.P99Ms <= 5));
        }

        // P1 and P3 on a PostgreSQL node, with their PostgreSQL baselines written into the node's own pixel_events.
        if (settings.Runs("P1") || settings.Runs("P3"))
        {
            await using (var clustered = await BenchCluster.StartAsync(postgres: true, sandboxRequestsPerSecond: 100_000, eventsPerDay: 100_000_000))
            {
                // Each PostgreSQL baseline runs right after the node's warm-up and just before its own figure, so both
                // write into pixel_events at the same size: the warm-up alone adds hundreds of thousands of rows.
                // The first COPY of a run wrote 0.6-1.0 full-page images a row and ran at half to three quarters of the
                // next ones' speed (docs/BENCHMARKS.md, eighteenth pass): one COPY is discarded first, as the figure and
                // the INSERT baseline have their warm-ups.
                var copyWarmedUp = false;
                async Task<double> CopyAsync(string label)
                {
                    var (copy, cpu) = await PostgresBaselines.CopyAsync(clustered.Postgres!, settings.CopyRows, nodeProcessId: clustered.Node.ProcessId);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-66} {copy,12:N0} rows/s ({settings.CopyRows:N0} rows)"));
                    Console.WriteLine($"    {cpu.PerUnit(settings.CopyRows, "row")}");
                    return copy;
                }
                async Task<double> CopyBaselineAsync()
                {
                    Console.WriteLine($"  {await BacklogDeliveredAsync(clustered.Postgres!)}");
                    if (!copyWarmedUp)
                    {
                        await CopyAsync("baseline warm-up, discarded: binary COPY into pixel_events");
                        copyWarmedUp = true;
                    }
                    Console.WriteLine($"  {await TableSizeAsync(clustered.Postgres!)}");
                    return await CopyAsync("baseline: binary COPY into pixel_events");
                }
                async Task<double> InsertBaselineAsync()
                {
                    Console.WriteLine($"  {await BacklogDeliveredAsync(clustered.Postgres!)}");
                    Console.WriteLine($"  {await TableSizeAsync(clustered.Postgres!)}");
                    var (inserts, cpu) = await PostgresBaselines.SingleRowInsertsAsync(clustered.Postgres!, settings.Concurrency, warmUp, duration, clustered.Node.ProcessId);
                    Report($"baseline: single-row INSERT transactions, {settings.Concurrency} connections", inserts, "tx/s");
                    Console.WriteLine($"    {cpu.PerUnit(inserts.Operations, "transaction")}");
                    return inserts.PerSecond;
                }

                if (settings.Runs("P1"))
                {
                    var batches = 0L;
                    var batched = await AlternateAsync(clustered, warmUp, maxWarmUp, duration, settings.BatchClients, _ =>
                        PostAsync(clustered.Client, $"{Events}/batch", BenchCluster.BatchBody(10_000_000 + (Interlocked.Increment(ref batches) * 1000), 1000)),
                        CopyBaselineAsync, settings.Rounds, "P1 node on PostgreSQL: 1,000-event batches, one pixel", "binary COPY", 1000, "event");
                    rows.Add(new("P1", "batched events/s, PostgreSQL node, one pixel", batched.Figure, "binary COPY rows/s", batched.Baseline, 0.5, batched.Also, true));
                }

                if (settings.Runs("P3"))
                {
                    var post = await SingleEventsAsync(clustered, settings.SinglePixels, 2);
                    var singles = await AlternateAsync(clustered, warmUp, maxWarmUp, duration, settings.Concurrency, post,
                        InsertBaselineAsync, settings.Rounds, "P3 node on PostgreSQL: single events", "single-row INSERT transactions", 1, "request");
                    rows.Add(new("P3", "single events/s, PostgreSQL node", singles.Figure, "single-row INSERT tx/s", singles.Baseline, 1.0, singles.Also, true));
                }
            }
        }

        // P4: a backlog drained at TikTok's 10 requests/s per pixel.
        if (settings.Runs("P4"))
        {
            var delivery = await DeliveryBenchmark.MeasureAsync(settings.DeliveryEvents);
            rows.Add(new("P4", "delivered events/s under backlog", delivery.EventsPerSecond, "10 req/s × 1,000 events", 10_000, 0.95,
                string.Create(CultureInfo.InvariantCulture, $"{delivery.EventsPerRequest:0.0} events/request (goal ≥ 990), {delivery.Throttled} throttled (goal 0)"),
                delivery.EventsPerRequest >= 990 && delivery.Throttled == 0));
        }

        // P5: audience members synced against the sandbox's raw ingest of the same members.
        if (settings.Runs("P5"))
        {
            var audience = await AudienceBenchmark.MeasureAsync(settings.Members);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  baseline: the same members, hashed, straight to the sandbox, {audience.InFlight} at once {audience.BaselineMembersPerSecond,12:N0} members/s ({settings.Members / audience.BaselineMembersPerSecond:0.00} s; one request at a time {audience.OneAtATimeMembersPerSecond:N0})"));
            PrintWindow(audience.BaselineStartedAt, settings.Members / audience.BaselineMembersPerSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  P5 service: raw emails synced until the sandbox holds them all      {audience.ServiceMembersPerSecond,12:N0} members/s ({settings.Members / audience.ServiceMembersPerSecond:0.00} s)"));
            PrintWindow(audience.ServiceStartedAt, settings.Members / audience.ServiceMembersPerSecond);
            if (PrintWindows)
            {
                // The same round cut at the 202, so a profile can say where the time before it and after it goes.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  P5 service until the 202 ({audience.SecondsTo202:0.00} s)"));
                PrintWindow(audience.ServiceStartedAt, audience.SecondsTo202);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  P5 service after the 202 ({settings.Members / audience.ServiceMembersPerSecond - audience.SecondsTo202:0.00} s)"));
                PrintWindow(audience.ServiceStartedAt + audience.SecondsTo202, settings.Members / audience.ServiceMembersPerSecond - audience.SecondsTo202);
            }
            rows.Add(new("P5", "audience members synced/s", audience.ServiceMembersPerSecond, $"sandbox raw ingest members/s ({audience.InFlight} requests at once)", audience.BaselineMembersPerSecond, 0.8,
                string.Create(CultureInfo.InvariantCulture, $"202 after {audience.SecondsTo202:0.00} s; upload after it {audience.UploadSeconds:0.00} s, baseline ÷ upload {audience.UploadRatio:0.00}; the baseline's client from a process of its own {audience.SeparateRatio:0.00} of the baseline"), true));
        }

        // P6: many pixels at once against one pixel, in the same run.
        if (settings.Runs("P6"))
        {
            var many = await ManyPixelsBenchmark.MeasureAsync(settings.ManyPixels, settings.Seconds, settings.BatchClients);
            var onePixel = (many.OnePixelBefore.PerSecond + many.OnePixelAfter.PerSecond) / 2 * 1000;
            if (PrintWindows)
            {
                Report("P6 baseline: one pixel, before the many-pixel round", many.OnePixelBefore, "req/s", 1000);
                Report($"P6 {many.Pixels:N0} pixels at once", many.ManyPixels, "req/s", 1000);
                Report("P6 baseline: one pixel, after the many-pixel round", many.OnePixelAfter, "req/s", 1000);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  P6 one pixel: {many.OnePixelBefore.PerSecond * 1000:N0} events/s before the many-pixel round, {many.OnePixelAfter.PerSecond * 1000:N0} after it; many pixels {many.ManyPixels.PerSecond * 1000:N0}"));
            rows.Add(new("P6", $"batched events/s over {many.Pixels:N0} pixels at once", many.ManyPixels.PerSecond * 1000, "same batches, one pixel (before and after)", onePixel, 0.8,
                many.Idle is { } idle
                    ? string.Create(CultureInfo.InvariantCulture, $"{idle.BytesPerActivation / 1024.0:0.0} KB per idle pixel activation (goal ≤ 16 KB); {(many.JustDelivered?.BytesPerActivation ?? double.NaN) / 1024.0:0.0} KB just after delivery")
                    : "idle activation memory not measured (dotnet-gcdump missing)",
                many.Idle is { } measured && measured.BytesPerActivation <= 16 * 1024));
        }

        Console.WriteLine();
        Console.WriteLine("| # | Measure | Figure | Baseline (same run) | Baseline figure | Ratio | Goal | Also | Holds |");
        Console.WriteLine("|---|---|---:|---|---:|---:|---:|---|---|");
        foreach (var row in rows)
        {
            var ratio = row.Figure / row.Baseline;
            var holds = ratio >= row.Goal && row.AlsoHolds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Id} | {row.Measure} | {row.Figure:N0} | {row.BaselineName} | {row.Baseline:N0} | {ratio:0.000} | ≥ {row.Goal:0.0#} | {row.Also} | {(holds ? "yes" : "no")} |"));
        }
        return 0;
    }

    /// <summary>
    /// <paramref name="pixels"/> organizers with one pixel each, and an operation posting one event with a new
    /// event_id to pixel (worker mod pixels): concurrent clients meet on the same pixels, as buyers of an on-sale do.
    /// </summary>
    private static async Task<Func<int, Task<int>>> SingleEventsAsync(BenchCluster cluster, int pixels, int run)
    {
        var connected = await cluster.ConnectPixelsAsync(pixels, perOrganizer: 1, parallelism: 8, eventsPerDay: 100_000_000);
        var templates = connected.Select(p =>
        {
            var e = BenchCluster.Event(777_777_777);
            e["pixel_id"] = p.PixelId;
            return (p.Client, Body: e.ToJsonString());
        }).ToArray();
        var ids = run * 1_000_000_000L;
        return worker =>
        {
            var (client, body) = templates[worker % templates.Length];
            var id = Interlocked.Increment(ref ids).ToString(CultureInfo.InvariantCulture);
            return PostAsync(client, Events, Encoding.UTF8.GetBytes(body.Replace("777777777", id, StringComparison.Ordinal)));
        };
    }

    /// <summary>
    /// Waits until the node has delivered every event it holds (none left in pixel_pending), so that a baseline measures
    /// PostgreSQL with the node quiet: a backlog still delivering took 6-12 µs of the node's CPU a COPY row, and
    /// PostgreSQL's own for its settles, from the baseline. Gives up after three minutes and says what was left.
    /// </summary>
    private static async Task<string> BacklogDeliveredAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pixel_pending");
        var started = Stopwatch.StartNew();
        var first = (long)(await command.ExecuteScalarAsync())!;
        var left = first;
        while (left > 0 && started.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            left = (long)(await command.ExecuteScalarAsync())!;
        }
        return left == 0
            ? string.Create(CultureInfo.InvariantCulture, $"backlog delivered before the baseline: {first:N0} events waited, {started.Elapsed.TotalSeconds:0} s")
            : string.Create(CultureInfo.InvariantCulture, $"backlog NOT delivered before the baseline: {left:N0} of {first:N0} events still waiting after {started.Elapsed.TotalSeconds:0} s");
    }

    private static async Task<string> TableSizeAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM pixel_events), pg_total_relation_size('pixel_events'), pg_total_relation_size('buyer_facts'), coalesce(pg_total_relation_size(to_regclass('buyer_fact_packs')), 0), current_setting('shared_buffers')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return string.Create(CultureInfo.InvariantCulture,
            $"pixel_events now: {reader.GetInt64(0):N0} rows, {reader.GetInt64(1) / 1048576.0:N0} MB with its indexes; buyer_facts {reader.GetInt64(2) / 1048576.0:N0} MB, buyer_fact_packs {reader.GetInt64(3) / 1048576.0:N0} MB; shared_buffers {reader.GetString(4)}");
    }

    private static async Task<string> DurabilityAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("TIKTOKADS_TEST_POSTGRES");
        if (connectionString is null)
        {
            return "not started (run under scripts/with-postgres.sh)";
        }
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', backend_flush_after=' || current_setting('backend_flush_after') || ', shared_buffers=' || current_setting('shared_buffers') || ', max_wal_size=' || current_setting('max_wal_size')");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static Task<int> PostAsync(HttpClient http, string path, byte[] body) => Load.PostJsonAsync(http, path, body);

    /// <summary>A warm-up, then the measured run with the CPU each party spent during it.</summary>
    private static async Task<(LoadResult Load, CpuUse Cpu)> MeasureAsync(BenchCluster cluster, TimeSpan warmUp, TimeSpan maxWarmUp, TimeSpan duration, int concurrency, Func<int, Task<int>> operation, Func<Task>? baseline = null)
    {
        var jit = JitWarmUp.FromMetrics(cluster.Client);
        var warmed = await JitWarmUp.RunAsync(jit, d => Load.RunAsync(d, concurrency, operation), warmUp, maxWarmUp);
        if (baseline is not null)
        {
            await baseline();
        }
        var ((result, cpu), share) = await JitWarmUp.WatchAsync(jit, () => CpuMeter.RunAsync(cluster.Node.ProcessId, duration, concurrency, operation, () => GcTotals.ReadAsync(cluster.Client)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    node: {warmed}; JIT {share:P1} of a core while measured"));
        return (result, cpu);
    }

    /// <summary>
    /// A figure in <paramref name="rounds"/> rounds that alternate with its baseline (baseline, figure, baseline, …,
    /// figure, baseline), each round against the mean of the baselines either side of it, and the round with the
    /// median ratio taken. On this shared machine one baseline window could differ from the next, a minute later, by
    /// 20-30 % (single-row INSERTs: 4,520 then 5,608 tx/s, docs/BENCHMARKS.md, seventeenth pass), and a single round's
    /// ratio moved with it.
    /// </summary>
    private static async Task<Alternated> AlternateAsync(BenchCluster cluster, TimeSpan warmUp, TimeSpan maxWarmUp, TimeSpan duration, int concurrency,
        Func<int, Task<int>> operation, Func<Task<double>> baseline, int rounds, string name, string baselineName, int unitsPerOperation, string unit)
    {
        var before = 0.0;
        var (load, cpu) = await MeasureAsync(cluster, warmUp, maxWarmUp, duration, concurrency, operation, async () => before = await baseline());
        var measured = new List<(double Figure, double Baseline)>();
        for (var round = 1; ; round++)
        {
            Report(rounds == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}, round {round} of {rounds}"), load, "req/s", unitsPerOperation);
            var units = load.Operations * (double)unitsPerOperation;
            Console.WriteLine($"    {cpu.PerUnit(units, unit)}");
            Console.WriteLine($"    {cpu.Collector(units, unit)}");
            var after = await baseline();
            var mean = (before + after) / 2;
            var figure = load.PerSecond * unitsPerOperation;
            measured.Add((figure, mean));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {$"round {round}: {baselineName}, mean of before and after",-66} {mean,12:N0}/s; ratio {figure / mean:0.000}"));
            Console.WriteLine($"    {cpu.Ceiling(units, unit, mean)}");
            if (round >= rounds)
            {
                break;
            }
            before = after;
            (load, cpu) = await CpuMeter.RunAsync(cluster.Node.ProcessId, duration, concurrency, operation, () => GcTotals.ReadAsync(cluster.Client));
        }
        var median = measured.OrderBy(m => m.Figure / m.Baseline).ElementAt(measured.Count / 2);
        var ratios = string.Join("; ", measured.Select(m => (m.Figure / m.Baseline).ToString("0.000", CultureInfo.InvariantCulture)));
        if (rounds > 1)
        {
            Console.WriteLine($"  {name}: ratios by round {ratios}; the median round taken");
        }
        return new(median.Figure, median.Baseline, rounds == 1 ? "" : $"median of {rounds} alternating rounds ({ratios})");
    }

    private sealed record Alternated(double Figure, double Baseline, string Also);

    /// <summary>Set by bench/perf-goal.sh: each figure also prints its measured window, to cut a whole-machine profile to it.</summary>
    private static readonly bool PrintWindows = Environment.GetEnvironmentVariable("TIKTOKADS_BENCH_WINDOWS") == "1";

    private static void Report(string name, LoadResult result, string unit, int eventsPerRequest = 1)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-66} {result.PerSecond * eventsPerRequest,12:N0} {(eventsPerRequest == 1 ? unit : "events/s")}  p50 {result.P50Ms,8:0.00} ms  p99 {result.P99Ms,8:0.00} ms"));
        PrintWindow(result.StartedAt, result.Seconds);
    }

    /// <summary>The measured window on CLOCK_MONOTONIC under the figure's line, when bench/perf-goal.sh asks for it.</summary>
    private static void PrintWindow(double startedAt, double seconds)
    {
        if (PrintWindows && startedAt > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    window (CLOCK_MONOTONIC): {startedAt:0.000} {startedAt + seconds:0.000}"));
        }
    }

    private sealed record GoalRow(string Id, string Measure, double Figure, string BaselineName, double Baseline, double Goal, string Also, bool AlsoHolds);
}

internal sealed record GoalSettings(double Seconds, double WarmUpSeconds, int Concurrency, int BatchClients, int SinglePixels, int CopyRows, int DeliveryEvents, int Members, int ManyPixels, IReadOnlySet<string>? Only = null, double MaxWarmUpSeconds = 120, int Rounds = 3)
{
    /// <summary>Whether goal <paramref name="id"/> (P1-P6) is measured: all of them unless --only names some.</summary>
    public bool Runs(string id) => Only is null || Only.Contains(id);
}
