using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// Event ingest through a real node (HTTP, validation, hashing, grain call, durable buffer) beside two
/// baselines from the same run: a no-op ASP.NET endpoint in the same kind of process, and a PostgreSQL
/// COPY of the same rows.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(double seconds, int concurrency)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"Ingest benchmark: {concurrency} concurrent clients for single events, {Math.Max(2, concurrency / 8)} for 1,000-event batches; {seconds:0.#} s per figure; {Environment.ProcessorCount} cores");
        var single = BenchCluster.SingleBody(0);
        var batch = BenchCluster.BatchBody(0, 1000);
        Console.WriteLine($"  body sizes: single event {single.Length:N0} B, batch of 1,000 {batch.Length:N0} B");

        await using (var noop = NodeProcess.Start(typeof(IngestBenchmark).Assembly.Location, new Dictionary<string, string>(), arguments: ["node"], serverCollector: true))
        {
            await noop.WaitReadyAsync();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = noop.BaseAddress };
            var noopSingle = await Load.RunAsync(duration, concurrency, _ => PostAsync(http, "/bench/noop", single));
            Report("baseline: no-op endpoint, single-event body", noopSingle, 1);
            var noopBatch = await Load.RunAsync(duration, Math.Max(2, concurrency / 8), _ => PostAsync(http, "/bench/noop", batch));
            Report("baseline: no-op endpoint, 1,000-event body", noopBatch, 1);

            foreach (var postgres in new[] { false, true })
            {
                await using var cluster = await BenchCluster.StartAsync(postgres, sandboxRequestsPerSecond: 100_000, eventsPerDay: 100_000_000);
                var mode = postgres ? "PostgreSQL" : "in-memory";
                var template = Encoding.UTF8.GetString(BenchCluster.SingleBody(777_777_777));
                var ids = 0L;
                var one = await Load.RunAsync(duration, concurrency, _ =>
                    PostAsync(cluster.Client, "/api/integrations/tiktok-ads/events", Encoding.UTF8.GetBytes(template.Replace("777777777", Interlocked.Increment(ref ids).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))));
                Report($"node ({mode}): single events", one, 1);
                Ratio($"single events/s ({mode}) / no-op requests/s", one.PerSecond, noopSingle.PerSecond);
                var batches = 0L;
                var thousand = await Load.RunAsync(duration, Math.Max(2, concurrency / 8), _ =>
                    PostAsync(cluster.Client, "/api/integrations/tiktok-ads/events/batch", BenchCluster.BatchBody(10_000_000 + (Interlocked.Increment(ref batches) * 1000), 1000)));
                Report($"node ({mode}): 1,000-event batches", thousand, 1000);
                Ratio($"batch requests/s ({mode}) / no-op batch requests/s", thousand.PerSecond, noopBatch.PerSecond);
            }
        }

        var (rows, copySeconds) = await CopyBaselineAsync(200_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"baseline: PostgreSQL binary COPY of the same rows",-58} {rows / copySeconds,14:N0} rows/s ({rows:N0} rows in {copySeconds:0.00} s)"));
        return 0;
    }

    private static Task<int> PostAsync(HttpClient http, string path, byte[] body) => Load.PostJsonAsync(http, path, body);

    /// <summary>The same rows a batch stores (hashed payload included), written with COPY: the database's own ceiling.</summary>
    private static async Task<(int Rows, double Seconds)> CopyBaselineAsync(int rows)
    {
        var database = await TestPostgres.CreateDatabaseAsync("bench_copy");
        await using (var dataSource = NpgsqlDataSource.Create(database))
        await using (var create = dataSource.CreateCommand("""
            CREATE TABLE copy_events (pixel_key text, event_name text, event_id text, event_source text, payload jsonb, status text, accepted_at timestamptz,
                                      PRIMARY KEY (pixel_key, event_name, event_id))
            """))
        {
            await create.ExecuteNonQueryAsync();
        }
        var (rate, _) = await PostgresBaselines.CopyAsync(database, rows, "copy_events");
        return (rows, rows / rate);
    }

    private static void Report(string name, LoadResult result, int eventsPerRequest)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-58} {result.PerSecond * eventsPerRequest,14:N0} {(eventsPerRequest == 1 ? "req/s " : "events/s")}  ({result.PerSecond:N1} req/s)  p50 {result.P50Ms,8:0.00} ms  p99 {result.P99Ms,8:0.00} ms"));

    private static void Ratio(string name, double measured, double baseline)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio {name}: {measured / baseline:0.000}"));
}
