using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TikTokAds.Sandbox;
using TikTokAds.Sandbox.State;

namespace TikTokAds.Testing;

/// <summary>The TikTok sandbox on a loopback port inside the test process, with direct access to its state.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Admin = new HttpClient { BaseAddress = baseAddress };
        State = app.Services.GetRequiredService<SandboxState>();
    }

    public Uri BaseAddress { get; }

    /// <summary>What TikTok:BaseUrl should be to talk to this sandbox.</summary>
    public string ApiBaseUrl => new Uri(BaseAddress, "open_api/v1.3/").ToString();

    public HttpClient Admin { get; }
    public SandboxState State { get; }

    public static async Task<SandboxHost> StartAsync(Action<SandboxOptions>? configure = null, TimeProvider? time = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder(["--urls", $"http://127.0.0.1:{port}"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        builder.AddTikTokSandbox();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }
        var app = builder.Build();
        app.MapTikTokSandbox();
        await app.StartAsync();
        return new SandboxHost(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Provisions an access token for the given advertisers and pixels.</summary>
    public string AddToken(IEnumerable<string> advertiserIds, IEnumerable<string> pixelCodes, string? accessToken = null)
        => State.Grants.Add(accessToken, advertiserIds, pixelCodes).AccessToken;

    public void AddFault(FaultRule rule) => State.Faults.Add(rule);

    /// <summary>Requests the sandbox saw on this path, faulted ones included.</summary>
    public long CallsTo(string pathSuffix) => State.Calls.Where(c => c.Key.EndsWith(pathSuffix, StringComparison.Ordinal)).Sum(c => c.Value);

    public async Task<JsonArray> EventsAsync(string pixelCode)
        => (await Admin.GetFromJsonAsync<JsonArray>($"sandbox/events?pixel_code={Uri.EscapeDataString(pixelCode)}&limit=100000"))!;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
