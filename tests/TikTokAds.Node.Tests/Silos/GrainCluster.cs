using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains;
using TikTokAds.Grains.Security;
using TikTokAds.Node.Cluster;
using TikTokAds.Testing;
using TikTokAds.TikTok;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>
/// Two silos in this process (Orleans' TestingHost), with the grains' real services, the silo defaults
/// every node has, memory providers, and the sandbox as TikTok. A fixture built on it may take another number of
/// silos and change the silos' services.
/// </summary>
public class GrainCluster : IAsyncLifetime
{
    private static readonly string TokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly int _silos;
    private readonly Action<IServiceCollection>? _services;

    public GrainCluster()
        : this(2, null)
    {
    }

    protected GrainCluster(int silos, Action<IServiceCollection>? services) => (_silos, _services) = (silos, services);

    public InProcessTestCluster Cluster { get; private set; } = null!;
    public SandboxHost Sandbox { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = 1000);
        var builder = new InProcessTestClusterBuilder((short)_silos);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TikTok:BaseUrl"] = Sandbox.ApiBaseUrl,
                ["TikTok:MaxRetries"] = "0",
                ["Security:TokenKeys:k1"] = TokenKey,
                ["Pixels:FailureBackoff"] = "00:00:00.100",
                ["Pixels:ReminderPeriod"] = "00:00:01",
                ["Pixels:ForgetRecentAfter"] = "00:00:05",
            });
            host.AddTikTokClient();
            host.Services.AddTikTokAdsGrains(host.Configuration);
            _services?.Invoke(host.Services);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseTikTokAdsDefaults();
            silo.UseMemoryProviders();
            silo.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>A connection of <paramref name="pixel"/> as an organizer grain would hand it to the pixel.</summary>
    public ConnectionSecret Connection(string organizerId, string pixel, string token)
    {
        var protector = Cluster.Silos[0].ServiceProvider.GetRequiredService<TokenProtector>();
        var now = DateTimeOffset.UtcNow;
        var view = new ConnectionView(pixel, "7000000000000000800", false, null, null, new EventToggles(), new RateLimits(), ConnectionStatus.Connected, now, now, null, null);
        return new ConnectionSecret(view, protector.Protect(token, organizerId));
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
