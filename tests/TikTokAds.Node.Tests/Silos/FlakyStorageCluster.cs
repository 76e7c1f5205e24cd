using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using TikTokAds.Grains;
using TikTokAds.Node.Cluster;
using TikTokAds.TikTok;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>One silo (Orleans' TestingHost) with the grains' real services, whose grain storage fails on demand.</summary>
public sealed class FlakyStorageCluster : IAsyncLifetime
{
    public FlakyGrainStorage Storage { get; } = new();
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Nothing here calls TikTok.
                ["TikTok:BaseUrl"] = "http://127.0.0.1:9/open_api/v1.3/",
                ["Security:TokenKeys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
            host.AddTikTokClient();
            host.Services.AddTikTokAdsGrains(host.Configuration);
            host.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Name, Storage);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseTikTokAdsDefaults();
            silo.UseInMemoryReminderService();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
