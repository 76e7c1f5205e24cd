using Microsoft.Extensions.Options;
using TikTokAds.Runtime.Hosting;

namespace TikTokAds.Runtime.Internal;

/// <summary>The one pooled HttpClient for node-to-node calls; connect failures surface fast so calls re-route.</summary>
internal sealed class ClusterHttpClient(IOptions<ClusterOptions> options) : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        ConnectTimeout = options.Value.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        MaxConnectionsPerServer = 64,
        UseProxy = false,
    })
    {
        // The call timeout is enforced per call by the runtime, not by the client.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}
