using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TikTokAds.Testing;

namespace TikTokAds.Benchmarks.Events;

/// <summary>A real node process (in-memory or PostgreSQL) sending to an in-process sandbox, with one organizer and pixel (more on request).</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private const string AdminKey = "benchmark-operator-key-0123";
    /// <summary>The node as its own project built it (same configuration as this benchmark).</summary>
    private static readonly string NodeAssembly = FindNode();

    private static string FindNode()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "TikTokAds.Node", "bin", configuration, framework, "TikTokAds.Node.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("Build the node first: dotnet build -c Release src/TikTokAds.Node");
    }

    private BenchCluster(NodeProcess node, SandboxHost sandbox, HttpClient client, string pixel, string? postgres)
    {
        Node = node;
        Sandbox = sandbox;
        Client = client;
        Pixel = pixel;
        Postgres = postgres;
    }

    /// <summary>One connection pool for the organizers <see cref="ConnectPixelsAsync"/> creates.</summary>
    private readonly SocketsHttpHandler _shared = new() { MaxConnectionsPerServer = 256 };
    private readonly List<HttpClient> _organizers = [];

    public NodeProcess Node { get; }
    public SandboxHost Sandbox { get; }

    public string Token { get; private init; } = "";
    public HttpClient Client { get; }
    public string Pixel { get; }
    public string? Postgres { get; }

    public static async Task<BenchCluster> StartAsync(bool postgres, int sandboxRequestsPerSecond, int eventsPerDay)
    {
        var sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = sandboxRequestsPerSecond);
        // TIKTOKADS_BENCH_TIKTOK_LATENCY_MS=n: the sandbox answers each Events API request n ms late, as TikTok across a
        // real network would (the in-process sandbox otherwise answers in about a millisecond).
        if (int.TryParse(Environment.GetEnvironmentVariable("TIKTOKADS_BENCH_TIKTOK_LATENCY_MS"), out var latency) && latency > 0)
        {
            sandbox.AddFault(new TikTokAds.Sandbox.FaultRule { Path = "event/track/", LatencyMs = latency });
            Console.WriteLine($"  sandbox: every Events API answer {latency} ms late (TIKTOKADS_BENCH_TIKTOK_LATENCY_MS)");
        }
        var token = sandbox.AddToken(["7000000000000000900"], ["BENCHPIXEL"]);
        var settings = new Dictionary<string, string>
        {
            ["Admin:ApiKey"] = AdminKey,
            ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl,
            ["Gateway:PermitsPerSecond"] = "1000000",
            ["Gateway:Burst"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Pixels:FailureBackoff"] = "00:00:00.050",
            ["Pixels:MaxBackoff"] = "00:00:01",
            ["TikTok:MaxRetries"] = "0",
            ["Audiences:ReadyPollFirst"] = "00:00:00.100",
            ["Audiences:ReadyPollInterval"] = "00:00:00.100",
        };
        string? database = null;
        if (postgres)
        {
            database = await TestPostgres.CreateDatabaseAsync("bench_events");
            settings["ConnectionStrings:Postgres"] = database;
            // One node: nothing travels between nodes, so no cluster certificate is needed.
            settings["Cluster:AllowPlaintext"] = "true";
            settings["Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Security:TokenKeys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }
        var node = NodeProcess.Start(NodeAssembly, settings, serverCollector: true);
        await node.WaitReadyAsync();
        using var admin = new HttpClient { BaseAddress = node.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var created = (await (await admin.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = "Bench" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["api_key"]!);
        using var connect = await client.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", new JsonObject
        {
            ["pixel_id"] = "BENCHPIXEL", ["access_token"] = token, ["advertiser_id"] = "7000000000000000900", ["events_per_day"] = eventsPerDay,
        });
        connect.EnsureSuccessStatusCode();
        return new BenchCluster(node, sandbox, client, "BENCHPIXEL", database) { Token = token };
    }

    public static JsonObject Event(long i) => Event(i, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static JsonObject Event(long i, long eventTime) => new()
    {
        ["event_type"] = "CompletePayment",
        ["event_time"] = eventTime,
        ["event_id"] = $"purchase_{i}",
        ["user"] = new JsonObject { ["email"] = $"fan{i}@example.com", ["phone"] = "+40 721 234 567", ["external_id"] = $"user-{i}" },
        ["properties"] = new JsonObject { ["value"] = 59.9, ["currency"] = "RON", ["content_type"] = "product", ["contents"] = new JsonArray(new JsonObject { ["content_id"] = "ticket-ga", ["quantity"] = 1, ["price"] = 59.9 }) },
        ["context"] = new JsonObject { ["page_url"] = $"https://tickets.example/checkout?ttclid=E.C.P.{i}", ["ip"] = "203.0.113.9", ["user_agent"] = "Mozilla/5.0 (bench)" },
        ["consent"] = new JsonObject { ["granted"] = true },
    };

    public static byte[] SingleBody(long i) => System.Text.Encoding.UTF8.GetBytes(Event(i).ToJsonString());

    /// <summary>
    /// {"events":[…]} with events <paramref name="first"/> to first + count - 1, the same JSON as <see cref="Event"/> gives.
    /// Built from a cached template rather than a JSON tree per event: the load generator shares the cores with the
    /// node it measures, so its own cost per event must stay small.
    /// </summary>
    public static byte[] BatchBody(long first, int count, string? pixelId = null)
    {
        var pieces = Templates.GetOrAdd(pixelId ?? "", p => EventTemplate.Of(WithPixel(Event(EventTemplate.IdMarker), p.Length == 0 ? null : p).ToJsonString()));
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = new System.Text.StringBuilder(count * (pieces.Length + 64) + 16).Append("{\"events\":[");
        for (var k = 0; k < count; k++)
        {
            pieces.AppendTo(k == 0 ? body : body.Append(','), first + k, time);
        }
        return System.Text.Encoding.UTF8.GetBytes(body.Append("]}").ToString());
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, EventTemplate> Templates = new(StringComparer.Ordinal);

    private static JsonObject WithPixel(JsonObject e, string? pixelId)
    {
        if (pixelId is not null)
        {
            e["pixel_id"] = pixelId;
        }
        return e;
    }

    /// <summary>
    /// <paramref name="pixels"/> more pixels, <paramref name="perOrganizer"/> to an organizer, each organizer with its own
    /// advertiser and sandbox token; at most <paramref name="parallelism"/> connects at once.
    /// </summary>
    public async Task<IReadOnlyList<BenchPixel>> ConnectPixelsAsync(int pixels, int perOrganizer, int parallelism, int eventsPerDay)
    {
        using var admin = new HttpClient { BaseAddress = Node.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var organizers = (pixels + perOrganizer - 1) / perOrganizer;
        var connected = new List<BenchPixel>(pixels);
        for (var o = 0; o < organizers; o++)
        {
            using var response = await admin.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = $"Bench {o}" });
            var created = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
            var client = new HttpClient(_shared, disposeHandler: false) { BaseAddress = Node.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["api_key"]!);
            _organizers.Add(client);
            var advertiser = (7000000000000001000L + o).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var codes = Enumerable.Range(0, Math.Min(perOrganizer, pixels - (o * perOrganizer))).Select(p => $"BENCH{o:D4}P{p:D4}").ToList();
            var token = Sandbox.AddToken([advertiser], codes);
            connected.AddRange(codes.Select(code => new BenchPixel(client, code, advertiser, token)));
        }
        await Parallel.ForEachAsync(connected, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (pixel, ct) =>
        {
            using var connect = await pixel.Client.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", new JsonObject
            {
                ["pixel_id"] = pixel.PixelId, ["access_token"] = pixel.Token, ["advertiser_id"] = pixel.AdvertiserId, ["events_per_day"] = eventsPerDay,
            }, ct);
            connect.EnsureSuccessStatusCode();
        });
        return connected;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var organizer in _organizers)
        {
            organizer.Dispose();
        }
        _shared.Dispose();
        await Node.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
