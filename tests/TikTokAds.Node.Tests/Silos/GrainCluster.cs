using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
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
/// silos, change the silos' services and settings, and put its own grain storage in place of the memory one.
/// </summary>
public class GrainCluster : IAsyncLifetime
{
    private static readonly string TokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly int _silos;
    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly IGrainStorage? _storage;

    public GrainCluster()
        : this(2, null)
    {
    }

    protected GrainCluster(int silos, Action<IServiceCollection>? services, IReadOnlyDictionary<string, string?>? settings = null, IGrainStorage? storage = null)
        => (_silos, _services, _settings, _storage) = (silos, services, settings ?? new Dictionary<string, string?>(), storage);

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
            host.Configuration.AddInMemoryCollection(_settings);
            host.AddTikTokClient();
            host.Services.AddTikTokAdsGrains(host.Configuration);
            _services?.Invoke(host.Services);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseTikTokAdsDefaults();
            silo.UseMemoryProviders();
            if (_storage is not null)
            {
                silo.Services.AddKeyedSingleton(GrainStorage.Name, _storage);
            }
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

    /// <summary>A pixel of <paramref name="organizerId"/> connected with a new sandbox token.</summary>
    public async Task<IPixelGrain> ConnectPixelAsync(string organizerId, string pixelId)
    {
        var token = Sandbox.AddToken(["7000000000000000800"], [pixelId]);
        var pixel = Grains.Pixel(organizerId, pixelId);
        await pixel.ConfigureAsync(Connection(organizerId, pixelId, token));
        return pixel;
    }

    /// <summary>A ViewContent event with this id, sent now.</summary>
    public static PixelEvent ViewContent(string id) => new(
        "ViewContent", id, "web",
        new EventPayload("ViewContent", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), id, null, null, new EventPageData("https://tickets.example/", null), null, null),
        null);

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
