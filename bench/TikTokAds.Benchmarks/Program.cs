using System.Globalization;
using TikTokAds.Benchmarks;
using TikTokAds.Benchmarks.Cluster;

// bench <suite> [--seconds N] [--concurrency N] [--warmup N]; `node` is the child process the suites start.
var suite = args.Length > 0 ? args[0] : "cluster";
if (suite == "node")
{
    await BenchNode.Build(args[1..]).RunAsync();
    return 0;
}
if (TikTokAds.Benchmarks.Events.SeparateSender.IsSender(args))
{
    return await TikTokAds.Benchmarks.Events.SeparateSender.RunAsync(args);
}
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(GeneratorProcess.Gen0BudgetVariable)))
{
    return await GeneratorProcess.RunAgainAsync(args);
}
var seconds = Option("--seconds", 5.0);
var concurrency = (int)Option("--concurrency", 64);
return suite switch
{
    "cluster" => await ClusterBenchmark.RunAsync(seconds, Option("--warmup", 10.0), concurrency),
    "ingest" => await TikTokAds.Benchmarks.Events.IngestBenchmark.RunAsync(seconds, concurrency),
    "audiences" => await TikTokAds.Benchmarks.Events.AudienceBenchmark.RunAsync((int)Option("--members", 100_000)),
    "email-hash" => TikTokAds.Benchmarks.Events.EmailHashBenchmark.Run((int)Option("--members", 100_000)),
    "member-log" => await TikTokAds.Benchmarks.Events.MemberLogBenchmark.RunAsync((int)Option("--members", 1_000_000)),
    "pixels" => await TikTokAds.Benchmarks.Events.ManyPixelsBenchmark.RunAsync((int)Option("--pixels", 10_000), Option("--seconds", 20.0), (int)Option("--concurrency", 8)),
    "delivery" => await TikTokAds.Benchmarks.Events.DeliveryBenchmark.RunAsync((int)Option("--events", 60_000)),
    "goals" => await TikTokAds.Benchmarks.Events.GoalsBenchmark.RunAsync(new(
        Option("--seconds", 10), Option("--warmup", 10), (int)Option("--concurrency", 32), (int)Option("--batch-clients", 4), (int)Option("--single-pixels", 8),
        (int)Option("--copy-rows", 200_000), (int)Option("--events", 60_000), (int)Option("--members", 100_000), (int)Option("--pixels", 10_000), Only(), Option("--max-warmup", 120), Math.Max(1, (int)Option("--rounds", 3)))),
    _ => Usage(),
};

double Option(string name, double fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

// --only P1,P4 measures just those goals.
IReadOnlySet<string>? Only()
{
    var index = Array.IndexOf(args, "--only");
    return index >= 0 && index + 1 < args.Length ? args[index + 1].ToUpperInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() : null;
}

static int Usage()
{
    Console.Error.WriteLine("usage: bench cluster [--seconds N] [--warmup N] [--concurrency N] | bench ingest [--seconds N] [--concurrency N] | bench pixels [--pixels N] [--seconds N] [--concurrency N] | bench delivery [--events N] | bench audiences [--members N] | bench member-log [--members N] | bench email-hash [--members N] | bench goals [--seconds N] [--warmup N] [--max-warmup N] [--concurrency N] [--batch-clients N] [--single-pixels N] [--copy-rows N] [--events N] [--members N] [--pixels N] [--rounds N] [--only P1,P2,…]");
    return 2;
}
