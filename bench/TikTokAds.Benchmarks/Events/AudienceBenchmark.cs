using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Benchmarks.Events;

/// <summary>
/// One audience benchmark run: rates in members/s, times in seconds from the sync request. The two StartedAt are
/// when the measured baseline and service rounds began on CLOCK_MONOTONIC (<see cref="Load.Now"/>), to cut a profile to them.
/// </summary>
internal sealed record AudienceFigures(
    double BaselineMembersPerSecond, double ServiceMembersPerSecond, double SecondsTo202, double SecondsToDone, bool Complete,
    double BaselineStartedAt = 0, double ServiceStartedAt = 0, double OneAtATimeMembersPerSecond = 0, int InFlight = 1, double UploadSeconds = 0, double BaselineSeconds = 0,
    double SeparateMembersPerSecond = 0)
{
    public double Ratio => ServiceMembersPerSecond / BaselineMembersPerSecond;

    /// <summary>The baseline's client from a process of its own over the baseline (<see cref="SeparateSender"/>).</summary>
    public double SeparateRatio => SeparateMembersPerSecond / BaselineMembersPerSecond;

    /// <summary>
    /// The baseline round's time over the service's upload after the 202 (medians): what P5 would be if the 202 came at
    /// once. The upload runs at the sandbox's pace, so this says how much of the gap the sandbox's ingest leaves.
    /// </summary>
    public double UploadRatio => BaselineSeconds / UploadSeconds;
}

/// <summary>
/// Audience sync speed: members/s from POST /audiences/{id}/sync until the sandbox holds them all, beside
/// the sandbox's own ingest rate for the same members sent straight to segment/mapping/ in the same chunks, as many
/// requests at once as the audience grain keeps at TikTok (AudienceOptions.ChunksInFlight). Until the twenty-fourth
/// pass the baseline sent one request at a time, which left the sandbox part of the machine idle; that figure is
/// still printed. Since the fortieth pass a third round sends the baseline's requests from a process of its own
/// (<see cref="SeparateSender"/>): what a sender outside the sandbox's process reaches with none of the service's work.
/// </summary>
internal static class AudienceBenchmark
{
    private const int Chunk = 5000;
    private const string AdvertiserId = "7000000000000000900";
    private static readonly int InFlight = new TikTokAds.Grains.Audiences.AudienceOptions().ChunksInFlight;

    public static async Task<int> RunAsync(int members)
    {
        var figures = await MeasureAsync(members);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  baseline: sandbox raw ingest (client → segment/mapping/, {figures.InFlight} at once) {figures.BaselineMembersPerSecond,12:N0} members/s ({members / figures.BaselineMembersPerSecond:0.00} s; one at a time {figures.OneAtATimeMembersPerSecond:N0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  service: POST sync → gateway hash → grain chunks → sandbox {figures.ServiceMembersPerSecond,12:N0} members/s ({members / figures.ServiceMembersPerSecond:0.00} s; 202 after {figures.SecondsTo202:0.00} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run stored as done (every member and the progress in PostgreSQL) after {figures.SecondsToDone:0.00} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio service members/s ÷ sandbox raw ingest members/s: {figures.Ratio:0.000}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the baseline's client from a process of its own: {figures.SeparateMembersPerSecond:N0} members/s, {figures.SeparateRatio:0.000} of the baseline"));
        return figures.Complete ? 0 : 1;
    }

    /// <summary>The figures of one run, for this suite's output and for suites that compare them.</summary>
    public static async Task<AudienceFigures> MeasureAsync(int members, int rounds = 5)
    {
        await using var cluster = await BenchCluster.StartAsync(postgres: true, sandboxRequestsPerSecond: 100_000, eventsPerDay: 1_000_000);
        cluster.Sandbox.State.Options.AudienceProcessingTime = TimeSpan.Zero;
        Console.WriteLine($"Audience benchmark: {members:N0} members (email), chunks of {Chunk:N0}, node on PostgreSQL");
        var emails = Emails(members);

        // Baseline: the same hashed members straight into the sandbox with the TikTok client.
        using var tiktok = RawClient(cluster.Sandbox.ApiBaseUrl);
        var client = tiktok.Client;
        var hashed = Hashed(emails);
        await using var separate = await SeparateSender.StartAsync(cluster.Sandbox.ApiBaseUrl, cluster.Token, AdvertiserId, members, InFlight);

        // One unmeasured iteration: a round of each side, in the measured rounds' order.
        async Task WarmUpAsync(string name)
        {
            await SeparateRoundAsync(client, cluster, separate, $"separate {name}");
            await RawRoundAsync(client, cluster, hashed, $"raw {name}", InFlight);
            await ServiceRoundAsync(cluster, emails, name);
        }

        // Warm-up: whole rounds of both sides until the node's JIT is quiet; a cold node compiles while it syncs.
        var round = 0;
        var warmed = await JitWarmUp.RunAsync(JitWarmUp.FromMetrics(cluster.Client), _ => WarmUpAsync($"warm-up {++round}"),
            minimum: TimeSpan.FromSeconds(10), maximum: TimeSpan.FromSeconds(120));
        Console.WriteLine($"  node: {warmed}");
        // PostgreSQL as a server that has run for a while: one that has checkpointed reuses its old WAL segments. Under
        // `goals --only P5` the instance is new (scripts/with-postgres.sh), and without a checkpoint it made and
        // zero-filled a new 16 MB segment every sync or two, through the run's end; two of five stamped rounds had 45-49 ms
        // commits, which that fits (forty-first pass). In a whole goals run P5 follows goals whose writes have
        // checkpointed already; the checkpoint makes both the same. The warm-up's WAL becomes the segments the measured
        // rounds write into, and the next checkpoint is minutes away. Two more warm-up iterations follow it, meant to
        // take the first full-page images of the pages every sync updates before the clock runs.
        await using (var postgres = NpgsqlDataSource.Create(cluster.Postgres!))
        await using (var checkpoint = postgres.CreateCommand("CHECKPOINT"))
        {
            await checkpoint.ExecuteNonQueryAsync();
        }
        for (var after = 1; after <= 2; after++)
        {
            await WarmUpAsync($"after the checkpoint {after}");
        }

        // Measured: several alternating pairs, each side's median round. One baseline round lasts well under a second,
        // and single rounds moved the baseline by more than 2x between runs.
        var raws = new List<(double Seconds, double StartedAt, GeneratorUse Generator)>();
        var oneAtATime = new List<(double Seconds, double StartedAt, GeneratorUse Generator)>();
        var services = new List<(double AcceptedAfter, double Seconds, double DoneAfter, bool Complete, double StartedAt, GeneratorUse Generator, TimeSpan NodeCpu)>();
        var separates = new List<(double Seconds, double StartedAt, GeneratorUse Generator, TimeSpan SenderCpu)>();
        for (var i = 1; i <= rounds; i++)
        {
            // The one-at-a-time round first: it follows the last service round, whose run may still be compacting its
            // member log in the node once it is done. The baseline and the service stay next to each other.
            oneAtATime.Add(await RawRoundAsync(client, cluster, hashed, $"raw one at a time {i}", 1));
            separates.Add(await SeparateRoundAsync(client, cluster, separate, $"separate {i}"));
            raws.Add(await RawRoundAsync(client, cluster, hashed, $"raw baseline {i}", InFlight));
            services.Add(await ServiceRoundAsync(cluster, emails, $"bench {i}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {rounds} alternating rounds, members/s (baseline {InFlight} at once | service | baseline one at a time): {string.Join("; ", raws.Zip(services, oneAtATime).Select(r => $"{members / r.First.Seconds:N0} | {members / r.Second.Seconds:N0} | {members / r.Third.Seconds:N0}"))}; each side's median taken"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  service rounds, seconds to the 202 + upload after it (the node's CPU until the sandbox held every member): {string.Join("; ", services.Select(v => $"{v.AcceptedAfter:0.000} + {v.Seconds - v.AcceptedAfter:0.000} ({v.NodeCpu.TotalMilliseconds:N0} ms)"))}"));
        Console.WriteLine(
            $"  load generator with the sandbox, each round (baseline {InFlight} at once | service): {string.Join("; ", raws.Zip(services).Select(r => $"{r.First.Generator} | {r.Second.Generator}"))}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  the baseline's client in a process of its own, each round: {string.Join("; ", separates.Select(r => $"{members / r.Seconds:N0} members/s (its CPU {r.SenderCpu.TotalMilliseconds:N0} ms), load generator {r.Generator}"))}"));
        var raw = raws.OrderBy(r => r.Seconds).ElementAt(rounds / 2);
        var service = services.OrderBy(v => v.Seconds).ElementAt(rounds / 2);
        var single = oneAtATime.OrderBy(r => r.Seconds).ElementAt(rounds / 2);
        var upload = services.Select(v => v.Seconds - v.AcceptedAfter).Order().ElementAt(rounds / 2);
        var apart = separates.Select(r => r.Seconds).Order().ElementAt(rounds / 2);
        return new AudienceFigures(members / raw.Seconds, members / service.Seconds, service.AcceptedAfter, service.DoneAfter, services.All(v => v.Complete),
            raw.StartedAt, service.StartedAt, members / single.Seconds, InFlight, upload, raw.Seconds, members / apart);
    }

    /// <summary>
    /// The baseline: the same hashed members straight into a new sandbox audience with the TikTok client, in the same
    /// chunks, <paramref name="inFlight"/> requests at once.
    /// </summary>
    private static async Task<(double Seconds, double StartedAt, GeneratorUse Generator)> RawRoundAsync(TikTokBusinessClient client, BenchCluster cluster, List<string> hashed, string name, int inFlight)
    {
        var rawId = await NewAudienceAsync(client, cluster, name);
        var generator = GeneratorUse.Quiet();
        var startedAt = Load.Now;
        var clock = Stopwatch.StartNew();
        await SendChunksAsync(client, cluster.Token, AdvertiserId, hashed, rawId, inFlight);
        var seconds = clock.Elapsed.TotalSeconds;
        var used = GeneratorUse.Read().Since(generator);
        Forget(cluster, rawId);
        return (seconds, startedAt, used);
    }

    /// <summary>
    /// The same, sent by the baseline's client from a process of its own (<see cref="SeparateSender"/>), timed and its
    /// CPU read by the sender. This process's figures for the round cover a longer window: the pipe and the sender's
    /// collection before its clock as well.
    /// </summary>
    private static async Task<(double Seconds, double StartedAt, GeneratorUse Generator, TimeSpan SenderCpu)> SeparateRoundAsync(TikTokBusinessClient client, BenchCluster cluster, SeparateSender sender, string name)
    {
        var audienceId = await NewAudienceAsync(client, cluster, name);
        var generator = GeneratorUse.Quiet();
        var startedAt = Load.Now;
        var (seconds, senderCpu) = await sender.SendAsync(audienceId);
        var used = GeneratorUse.Read().Since(generator);
        Forget(cluster, audienceId);
        return (seconds, startedAt, used, senderCpu);
    }

    /// <summary>The CPU a process has used, user and system.</summary>
    internal static TimeSpan CpuOf(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static async Task<string> NewAudienceAsync(TikTokBusinessClient client, BenchCluster cluster, string name)
        => (await client.CreateSegmentAudienceAsync(cluster.Token, AdvertiserId, name, CancellationToken.None)).Data!.AudienceId!;

    /// <summary>The benchmark's members: raw emails.</summary>
    internal static List<string> Emails(int members) => [.. Enumerable.Range(0, members).Select(i => $"member{i}@bench.example")];

    /// <summary>The members as the baseline sends them: SHA-256 in lowercase hex.</summary>
    internal static List<string> Hashed(List<string> emails) => [.. emails.Select(e => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e))))];

    /// <summary>The TikTok client the baselines send with, pointed at the sandbox; its logs on standard error if asked.</summary>
    internal static RawTikTok RawClient(string apiBaseUrl, bool logToStandardError = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logToStandardError)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        builder.Configuration["TikTok:BaseUrl"] = apiBaseUrl;
        builder.AddTikTokClient();
        var host = builder.Build();
        return new(host, host.Services.GetRequiredService<TikTokBusinessClient>());
    }

    /// <summary>Every hashed member into the audience in chunks, <paramref name="inFlight"/> requests at once, each request built as it goes.</summary>
    internal static Task SendChunksAsync(TikTokBusinessClient client, string token, string advertiserId, List<string> hashed, string audienceId, int inFlight)
        => Parallel.ForEachAsync(hashed.Chunk(Chunk), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (chunk, cancellationToken) =>
        {
            var response = await client.MapSegmentAsync(token, new SegmentMappingRequest
            {
                AdvertiserIds = [advertiserId],
                Action = "add",
                IdSchema = ["EMAIL_SHA256"],
                BatchData = [.. chunk.Select(h => (IReadOnlyList<SegmentId>)[new SegmentId { Id = h, AudienceIds = [audienceId] }])],
            }, cancellationToken);
            if (!response.IsSuccess)
            {
                throw new InvalidOperationException(response.ToString());
            }
        });

    internal sealed record RawTikTok(IHost Host, TikTokBusinessClient Client) : IDisposable
    {
        public void Dispose() => Host.Dispose();
    }

    /// <summary>The service: one sync request of raw emails into a new audience, hashed at the gateway, chunked by the audience grain.</summary>
    private static async Task<(double AcceptedAfter, double Seconds, double DoneAfter, bool Complete, double StartedAt, GeneratorUse Generator, TimeSpan NodeCpu)> ServiceRoundAsync(BenchCluster cluster, List<string> emails, string name)
    {
        var created = (await (await cluster.Client.PostAsJsonAsync("/api/integrations/tiktok-ads/audiences", new JsonObject
        {
            ["advertiser_id"] = AdvertiserId, ["custom_audience_name"] = name,
        })).Content.ReadFromJsonAsync<JsonObject>())!;
        var tiktokId = (string)created["tiktok_audience_id"]!;
        // The platform's request is written before the clock starts, as the baseline's hashes are: the clock measures
        // the service taking it, not this generator building a JSON tree of 100,000 rows.
        using var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["action"] = "APPEND", ["id_schema"] = new JsonArray("EMAIL_SHA256"), ["members"] = new JsonArray([.. emails.Select(e => (JsonNode)new JsonArray(e))]),
        }));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var holdsAll = cluster.Sandbox.State.Audiences.WhenHolds(tiktokId, emails.Count);
        var generator = GeneratorUse.Quiet();
        using var node = Process.GetProcessById(cluster.Node.ProcessId);
        var nodeCpu = CpuOf(node);
        var startedAt = Load.Now;
        var clock = Stopwatch.StartNew();
        using (var sync = await cluster.Client.PostAsync($"/api/integrations/tiktok-ads/audiences/{(string)created["id"]!}/sync", body))
        {
            sync.EnsureSuccessStatusCode();
        }
        var acceptedAfter = clock.Elapsed.TotalSeconds;
        // The round ends when the sandbox holds the last member: it signals that from the mapping request that adds it.
        // Through the fortieth pass this polled every 2 ms, under the lock the mapping requests hold, in service rounds
        // only; the signal leaves the sandbox the same work in both kinds of round.
        await holdsAll.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var complete = holdsAll.IsCompletedSuccessfully;
        var serviceSeconds = clock.Elapsed.TotalSeconds;
        var used = GeneratorUse.Read().Since(generator);
        nodeCpu = CpuOf(node) - nodeCpu;
        complete &= Size(cluster, tiktokId) == emails.Count;

        // Not part of the ratio: storing may trail sending by a few chunks, and this says by how much.
        while (!await DoneAsync(cluster, (string)created["id"]!) && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(20);
        }
        var doneAfter = clock.Elapsed.TotalSeconds;
        Forget(cluster, tiktokId);
        return (acceptedAfter, serviceSeconds, doneAfter, complete, startedAt, used, nodeCpu);
    }

    /// <summary>
    /// What this process (the load generator with the in-process sandbox, whose pace is the baseline) spent in one
    /// round: its collections' pauses and its CPU.
    /// </summary>
    private readonly record struct GeneratorUse(TimeSpan Paused, int Collections, TimeSpan Cpu)
    {
        public static GeneratorUse Read() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0), Process.GetCurrentProcess().TotalProcessorTime);

        /// <summary>
        /// Read once this process's heap is collected, so that no round pays for garbage made before its clock starts
        /// (the service round's body, 100,000 rows built as a JSON tree, came to tens of MB), and every round of both
        /// sides starts from the same heap.
        /// </summary>
        public static GeneratorUse Quiet()
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            return Read();
        }

        public GeneratorUse Since(GeneratorUse start) => new(Paused - start.Paused, Collections - start.Collections, Cpu - start.Cpu);

        public override string ToString()
            => string.Create(CultureInfo.InvariantCulture, $"{Paused.TotalMilliseconds:N0} ms paused in {Collections} collections, {Cpu.TotalMilliseconds:N0} ms CPU");
    }

    /// <summary>
    /// A measured audience's members dropped from the sandbox once its round is over. The sandbox shares this process:
    /// kept, each audience's 100,000 member strings (about 18 MB by their size; three audiences a round) would stay in
    /// its heap, and later rounds would pay for the collector marking through all the rounds before them.
    /// </summary>
    private static void Forget(BenchCluster cluster, string tiktokId) => cluster.Sandbox.State.Audiences.Delete(tiktokId);

    private static async Task<bool> DoneAsync(BenchCluster cluster, string audienceId)
    {
        var audience = (await cluster.Client.GetFromJsonAsync<JsonObject>($"/api/integrations/tiktok-ads/audiences/{audienceId}"))!;
        return audience["runs"] is JsonArray runs && runs.Count > 0 && (string?)runs[0]!["status"] == "done";
    }

    private static int Size(BenchCluster cluster, string tiktokId)
    {
        lock (cluster.Sandbox.State.Audiences.Sync)
        {
            return cluster.Sandbox.State.Audiences.Find(tiktokId)!.Members.Count;
        }
    }
}
