using System.Globalization;
// bench <suite> [--seconds N] [--concurrency N].
var suite = args.Length > 0 ? args[0] : "ingest";
var seconds = Option("--seconds", 5.0);
var concurrency = (int)Option("--concurrency", 64);
return suite switch
{
    "ingest" => await TikTokAds.Benchmarks.Events.IngestBenchmark.RunAsync(seconds, concurrency),
    "audiences" => await TikTokAds.Benchmarks.Events.AudienceBenchmark.RunAsync((int)Option("--members", 100_000)),
    "delivery" => await TikTokAds.Benchmarks.Events.DeliveryBenchmark.RunAsync((int)Option("--events", 60_000)),
    _ => Usage(),
};

double Option(string name, double fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static int Usage()
{
    Console.Error.WriteLine("usage: bench ingest [--seconds N] [--concurrency N] | bench delivery [--events N] | bench audiences [--members N]");
    return 2;
}
