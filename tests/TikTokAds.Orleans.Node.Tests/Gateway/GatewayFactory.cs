using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TikTokAds.Orleans.Testing;

namespace TikTokAds.Orleans.Node.Tests.Gateway;

/// <summary>
/// A node over a real PostgreSQL database (clustered mode, one member) and an in-process TikTok sandbox,
/// with every log line captured.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "operator-test-key-0123456789";

    public SandboxHost Sandbox { get; private set; } = null!;
    public string Postgres { get; private set; } = null!;
    public CapturingLoggerProvider Logs { get; } = new();
    public Dictionary<string, string> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxHost.StartAsync();
        Postgres = await TestPostgres.CreateDatabaseAsync("gateway");
        Settings["ConnectionStrings:Postgres"] = Postgres;
        Settings["Cluster:Secret"] = "gateway-tests-cluster-secret";
        Settings["Admin:ApiKey"] = AdminKey;
        Settings["Security:TokenKeys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Settings["TikTok:BaseUrl"] = Sandbox.ApiBaseUrl;
        Settings["TikTok:RetryBaseDelay"] = "00:00:00.010";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
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

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
