using System.Diagnostics;
using System.Globalization;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// Delivery under backlog against the sandbox's 10 requests/s per pixel: how much of the theoretical
/// ceiling (10 requests × 1,000 events per second) the pixel grain uses, and how full its requests are.
/// </summary>
internal static class DeliveryBenchmark
{
    private const int RequestLimit = 10;

    public static async Task<int> RunAsync(int events)
    {
        var figures = await MeasureAsync(events);
        return figures.Delivered == events && figures.Throttled == 0 ? 0 : 1;
    }

    public static async Task<DeliveryFigures> MeasureAsync(int events)
    {
        await using var cluster = await BenchCluster.StartAsync(postgres: true, sandboxRequestsPerSecond: RequestLimit, eventsPerDay: 100_000_000);
        Console.WriteLine($"Delivery benchmark: {events:N0} events backlogged on one pixel, sandbox limit {RequestLimit} requests/s, node on PostgreSQL");
        // TikTok 'down' while the backlog builds, so the drain is measured from a full buffer.
        cluster.Sandbox.AddFault(new TikTokAds.Sandbox.FaultRule { Path = "event/track/", AccessToken = cluster.Token, HttpStatus = 503 });
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, events / 1000).Select(async b =>
        {
            await gate.WaitAsync();
            try
            {
                using var content = new ByteArrayContent(BenchCluster.BatchBody(b * 1000L, 1000));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await cluster.Client.PostAsync(new Uri("/api/integrations/tiktok-ads/events/batch", UriKind.Relative), content);
                response.EnsureSuccessStatusCode();
            }
            finally
            {
                gate.Release();
            }
        }));
        var accepted = clock.Elapsed;
        cluster.Sandbox.State.Faults.Clear();
        while (clock.Elapsed < TimeSpan.FromMinutes(5) && cluster.Sandbox.State.Events.Stats(cluster.Pixel).Events < events)
        {
            await Task.Delay(20);
        }
        var done = clock.Elapsed;
        var stats = cluster.Sandbox.State.Events.Stats(cluster.Pixel);
        var requests = cluster.Sandbox.State.Events.Requests(cluster.Pixel).Where(r => r.Code == 0).ToList();
        // The pixel's sending rate while it had a backlog, as the budget sees it: request i + 10 may go once request i's
        // slot has freed, so the time from the first request to the tenth-from-last holds (n - 10) / 10 full turns of
        // the budget, whether requests go evenly or in bursts. (First-to-last would credit the last burst with a full
        // turn it never used.)
        var turns = requests.Count - RequestLimit;
        var rate = requests.Take(turns).Sum(r => r.Events) / (requests[turns].ReceivedAt - requests[0].ReceivedAt).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  accepted {events:N0} events in {accepted.TotalSeconds:0.00} s while TikTok answered 503; backlog drained {(done - accepted).TotalSeconds:0.00} s after it came back"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  delivered {stats.Events:N0} events in {requests.Count} requests, {stats.ThrottledRequests} throttled (40100)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  delivery rate under backlog: {rate:N0} events/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio budget utilisation (events/s ÷ ({RequestLimit} req/s × 1,000)): {rate / (RequestLimit * 1000):0.000}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  mean events per request under backlog: {(double)stats.Events / requests.Count:0.0}"));
        var roundTrip = await MeanRoundTripAsync(cluster.Postgres!);
        Console.WriteLine("  requests received at (ms from the first): " + string.Join(' ', requests.Select(r => (r.ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))));
        // A request's slot is held from its send until a window after TikTok's answer, so ten slots give at most
        // ten requests per (window + round trip).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  mean round trip of an accepted request (send to TikTok's answer, node's pixel_requests.latency_ms): {roundTrip:0.0} ms; a slot turning over in 1.01 s plus that round trip would allow {1010 / (1010 + roundTrip):0.000}"));
        return new DeliveryFigures(stats.Events, requests.Count, stats.ThrottledRequests, rate, rate / (RequestLimit * 1000), (double)stats.Events / requests.Count);
    }

    private static async Task<double> MeanRoundTripAsync(string connectionString)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT coalesce(avg(latency_ms), 0) FROM pixel_requests WHERE outcome = 'success'");
        return Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

internal sealed record DeliveryFigures(long Delivered, int Requests, long Throttled, double EventsPerSecond, double Utilisation, double EventsPerRequest);
