using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Runtime.Hosting;
using TikTokAds.Runtime.TestNode;
using TikTokAds.Testing;

namespace TikTokAds.Runtime.Tests.InProcess;

/// <summary>A test node hosted in the test process, on PostgreSQL or on the embedded in-memory providers.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private InProcessNode(WebApplication app)
    {
        App = app;
        Grains = app.Services.GetRequiredService<IGrainFactory>();
        Runtime = app.Services.GetRequiredService<IGrainRuntimeInfo>();
    }

    public WebApplication App { get; }
    public IGrainFactory Grains { get; }
    public IGrainRuntimeInfo Runtime { get; }

    public static async Task<InProcessNode> StartAsync(string? postgres, params string[] settings)
    {
        var args = new List<string> { "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--Logging:LogLevel:Default=Warning" };
        if (postgres is not null)
        {
            args.Add($"--ConnectionStrings:Postgres={postgres}");
            args.Add("--Cluster:Secret=in-process-test-secret");
        }
        args.AddRange(settings.Select(s => "--" + s));
        var app = TestNodeHost.Build([.. args]);
        await app.StartAsync();
        return new InProcessNode(app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
