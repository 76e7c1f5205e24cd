using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// A node over a real PostgreSQL database (clustered mode, one member) and an in-process TikTok sandbox,
/// with every log line captured.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "operator-test-key-0123456789";

    public SandboxHost Sandbox { get; private set; } = null!;
    public string Postgres { get; private set; } = null!;
    public CapturingLoggerProvider Logs { get; } = new();
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>A clock the test moves, in place of the system's; set it before the first client.</summary>
    public TimeProvider? Clock { get; set; }

    public virtual async Task InitializeAsync()
    {
        Sandbox = await SandboxHost.StartAsync(o => o.AudienceProcessingTime = TimeSpan.FromSeconds(1));
        Postgres = await TestPostgres.CreateDatabaseAsync("gateway");
        Settings["ConnectionStrings:Postgres"] = Postgres;
        Settings["Cluster:CertificatePath"] = ClusterTestCertificates.Cluster;
        Settings["Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Admin:ApiKey"] = AdminKey;
        Settings["Security:TokenKeys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Settings["TikTok:BaseUrl"] = Sandbox.ApiBaseUrl;
        Settings["TikTok:RetryBaseDelay"] = "00:00:00.010";
        Settings["TikTok:RetryMaxDelay"] = "00:00:00.100";
        Settings["Pixels:FailureBackoff"] = "00:00:00.100";
        Settings["Pixels:ThrottleBackoff"] = "00:00:00.100";
        Settings["Audiences:ReadyPollFirst"] = "00:00:00.200";
        Settings["Audiences:ReadyPollInterval"] = "00:00:00.200";
        Settings["Audiences:FailureBackoff"] = "00:00:00.200";
        Settings["Gateway:PermitsPerSecond"] = "100000";
        Settings["Gateway:Burst"] = "100000";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        if (Clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.UseTestClock(clock));
        }
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public HttpClient As(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A new organizer: its id and first key.</summary>
    public async Task<(string Id, string ApiKey)> CreateOrganizerAsync(string name)
    {
        using var admin = Admin();
        using var response = await admin.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = name });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["id"]!, (string)body["api_key"]!);
    }

    /// <summary>A sandbox token for a fresh advertiser and pixel, connected for the organizer.</summary>
    public async Task<(string Pixel, string Advertiser, string Token)> ConnectAsync(string apiKey, string pixel)
    {
        var advertiser = $"7{RandomNumberGenerator.GetInt32(100_000_000, 999_999_999)}000000";
        var token = Sandbox.AddToken([advertiser], [pixel]);
        using var client = As(apiKey);
        using var response = await client.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", new JsonObject { ["pixel_id"] = pixel, ["access_token"] = token, ["advertiser_id"] = advertiser });
        response.EnsureSuccessStatusCode();
        return (pixel, advertiser, token);
    }

    /// <summary>An organizer with one connected pixel of its own: its API key, pixel and sandbox token.</summary>
    public async Task<(string ApiKey, string Pixel, string Token)> PixelAsync(string name, JsonObject? connectExtras = null)
    {
        var (_, key) = await CreateOrganizerAsync(name);
        var pixel = "PX" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        var advertiser = $"7{RandomNumberGenerator.GetInt32(100_000_000, 999_999_999)}000000";
        var token = Sandbox.AddToken([advertiser], [pixel]);
        var body = new JsonObject { ["pixel_id"] = pixel, ["access_token"] = token, ["advertiser_id"] = advertiser, ["default_country_code"] = "40" };
        foreach (var (k, v) in connectExtras ?? [])
        {
            body[k] = v?.DeepClone();
        }
        using var client = As(key);
        using var response = await client.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", body);
        response.EnsureSuccessStatusCode();
        return (key, pixel, token);
    }

    /// <summary>Waits until the sandbox holds at least <paramref name="count"/> events for the pixel.</summary>
    public async Task<int> WaitForSandboxAsync(string pixel, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            seen = Sandbox.State.Events.Stats(pixel).Events;
            if (seen >= count)
            {
                return seen;
            }
            await Task.Delay(100);
        }
        return seen;
    }

    public static JsonObject Event(int i, string type = "CompletePayment", bool consent = true)
        => new()
        {
            ["event_type"] = type,
            ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["event_id"] = $"{type.ToLowerInvariant()}_{i}",
            ["user"] = new JsonObject { ["email"] = $"fan{i}@example.com", ["phone"] = "+40 721 234 567", ["external_id"] = $"user-{i}" },
            ["properties"] = new JsonObject { ["value"] = 59.9, ["currency"] = "RON", ["content_type"] = "product", ["contents"] = new JsonArray(new JsonObject { ["content_id"] = "ticket-ga", ["quantity"] = 1, ["price"] = 59.9 }) },
            ["context"] = new JsonObject { ["page_url"] = $"https://tickets.example/checkout?ttclid=E.C.P.click{i}", ["ip"] = "203.0.113.9", ["user_agent"] = "Mozilla/5.0 (test)" },
            ["consent"] = new JsonObject { ["granted"] = consent },
        };

    public static async Task<HttpResponseMessage> PostBatchAsync(HttpClient client, IEnumerable<JsonObject> events)
        => await client.PostAsJsonAsync("/api/integrations/tiktok-ads/events/batch", new JsonObject { ["events"] = new JsonArray([.. events]) });

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
