using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Cluster;

/// <summary>
/// Real node processes on one PostgreSQL database (reached through a proxy the test can cut), a sandbox
/// standing in for TikTok, and one organizer with its pixels connected through the first node.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public const string Advertiser = "7000000000000000700";
    private readonly List<NodeProcess> _nodes = [];

    private ClusterHarness(SandboxHost sandbox, TcpProxy database, Dictionary<string, string> settings)
    {
        (Sandbox, Database, Settings) = (sandbox, database, settings);
    }

    public SandboxHost Sandbox { get; }
    public TcpProxy Database { get; }
    public Dictionary<string, string> Settings { get; }
    public IReadOnlyList<NodeProcess> Nodes => _nodes;
    public string ApiKey { get; private set; } = "";
    public string Token { get; private set; } = "";
    public IReadOnlyList<string> Pixels { get; private set; } = [];

    public static async Task<ClusterHarness> StartAsync(string name, int nodes, int pixels, Dictionary<string, string>? extra = null)
    {
        var sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = 1000);
        var direct = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync(name));
        var database = TcpProxy.Start(direct.Host!, direct.Port);
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = database.Port, Timeout = 3 }.ConnectionString,
            ["Security:TokenKeys:k1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
            ["Cluster:CertificatePath"] = ClusterTestCertificates.Cluster,
            ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl,
            ["TikTok:MaxRetries"] = "1",
            ["TikTok:RetryBaseDelay"] = "00:00:00.010",
            ["Gateway:PermitsPerSecond"] = "100000",
            ["Gateway:Burst"] = "100000",
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["Pixels:ReminderPeriod"] = "00:00:02",
            ["Pixels:FailureBackoff"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        var harness = new ClusterHarness(sandbox, database, settings);
        await Task.WhenAll(Enumerable.Range(0, nodes).Select(_ => harness.StartNodeAsync()));
        await WaitForEveryNodeToSeeTheOthersAsync(direct.ConnectionString, nodes);
        harness.Pixels = [.. Enumerable.Range(1, pixels).Select(i => $"PXC{i:D4}")];
        harness.Token = sandbox.AddToken([Advertiser], harness.Pixels);
        using var first = await NodeOrganizer.ConnectAsync(harness._nodes[0], name, harness.Pixels[0], Advertiser, harness.Token);
        harness.ApiKey = first.DefaultRequestHeaders.Authorization!.Parameter!;
        foreach (var pixel in harness.Pixels.Skip(1))
        {
            using var connect = await first.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", new JsonObject
            {
                ["pixel_id"] = pixel, ["access_token"] = harness.Token, ["advertiser_id"] = Advertiser,
            });
            connect.EnsureSuccessStatusCode();
        }
        return harness;
    }

    /// <summary>
    /// A node places a grain among the silos its own membership view holds. A node that has not yet read the
    /// table since the last one joined would place every pixel on the others, so the tests wait until the table
    /// shows every node Active and then one table refresh more (MembershipTuning: 5 s).
    /// </summary>
    private static async Task WaitForEveryNodeToSeeTheOthersAsync(string connectionString, int nodes)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleans_membership WHERE status = 3");
            if ((long)(await command.ExecuteScalarAsync())! >= nodes)
            {
                break;
            }
            await Task.Delay(200);
        }
        await Task.Delay(TimeSpan.FromSeconds(6));
    }

    public async Task<NodeProcess> StartNodeAsync()
    {
        var node = NodeProcess.Start(NodeCli.NodeAssembly, Settings);
        lock (_nodes)
        {
            _nodes.Add(node);
        }
        await node.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return node;
    }

    public HttpClient Client(NodeProcess node)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public static HttpClient Operator(NodeProcess node)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        return client;
    }

    /// <summary>Pixel → the silo endpoint (127.0.0.1:port) hosting its grain, as the dashboard reports it.</summary>
    public static async Task<Dictionary<string, string>> HostsAsync(NodeProcess via)
    {
        using var client = Operator(via);
        var rows = (await client.GetFromJsonAsync<JsonArray>("/dashboard/api/pixels"))!;
        return rows.ToDictionary(r => (string)r!["pixel_id"]!, r => (string)r!["node"]!);
    }

    public static string SiloOf(NodeProcess node) => $"127.0.0.1:{node.SiloPort}";

    /// <summary>Event ids the sandbox received for the pixels.</summary>
    public HashSet<string> Delivered()
        => [.. Pixels.SelectMany(p => Sandbox.State.Events.Events(p, 0, int.MaxValue)).Select(e => e.EventId!)];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await Database.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
