using System.Net.Http.Json;
using TikTokAds.Runtime.TestNode.Grains;
using TikTokAds.Testing;

namespace TikTokAds.Runtime.Tests.Cluster;

/// <summary>Test nodes as separate processes on loopback ports, sharing one fresh PostgreSQL database.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string Secret = "cluster-tests-shared-secret";
    private static readonly string NodeAssembly = Path.Combine(AppContext.BaseDirectory, "TikTokAds.Runtime.TestNode.dll");
    private readonly Dictionary<string, string> _settings;

    private TestCluster(string postgres, IReadOnlyDictionary<string, string> settings)
    {
        Postgres = postgres;
        _settings = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["Cluster:Secret"] = Secret,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:TikTokAds"] = "Information",
        };
    }

    public string Postgres { get; }
    public List<NodeProcess> Nodes { get; } = [];
    public IEnumerable<NodeProcess> Live => Nodes.Where(n => !n.HasExited);

    public static async Task<TestCluster> StartAsync(int nodes, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new TestCluster(await TestPostgres.CreateDatabaseAsync("cluster"), settings ?? new Dictionary<string, string>());
        await cluster.AddNodesAsync(nodes);
        return cluster;
    }

    public async Task AddNodesAsync(int count)
    {
        var started = Enumerable.Range(0, count).Select(_ => NodeProcess.Start(NodeAssembly, _settings)).ToList();
        Nodes.AddRange(started);
        await Task.WhenAll(started.Select(n => n.WaitReadyAsync()));
        await WaitForViewAsync();
    }

    /// <summary>Waits until every live node sees exactly the live nodes.</summary>
    public async Task WaitForViewAsync(TimeSpan? timeout = null)
    {
        var expected = Live.Count();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var views = await Task.WhenAll(Live.Select(n => n.Http.GetFromJsonAsync<List<string>>("/test/view")));
            if (views.All(v => v!.Count == expected))
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Nodes did not agree on {expected} live node(s).");
    }

    public static Task<ProbeInfo> WhereAsync(NodeProcess via, string key)
        => via.Http.GetFromJsonAsync<ProbeInfo>($"/test/probe/{key}/where")!;

    public static async Task<ProbeState> SetValueAsync(NodeProcess via, string key, long value)
    {
        using var response = await via.Http.PostAsync(new Uri($"/test/probe/{key}/value/{value}", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ProbeState>())!;
    }

    public static Task<ProbeState> StateAsync(NodeProcess via, string key)
        => via.Http.GetFromJsonAsync<ProbeState>($"/test/probe/{key}/state")!;

    public static Task<List<string>> ActivationsAsync(NodeProcess node)
        => node.Http.GetFromJsonAsync<List<string>>("/test/activations")!;

    public static Task<string> NodeIdAsync(NodeProcess node) => node.Http.GetStringAsync(new Uri("/test/node", UriKind.Relative));

    /// <summary>Runs <paramref name="action"/> for every item, a bounded number at a time.</summary>
    public static async Task<T[]> ForAllAsync<TItem, T>(IEnumerable<TItem> items, Func<TItem, Task<T>> action, int parallelism = 32)
    {
        using var gate = new SemaphoreSlim(parallelism);
        return await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await action(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
