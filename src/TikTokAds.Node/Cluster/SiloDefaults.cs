using Orleans.Serialization.Configuration;
using TikTokAds.Grains;

namespace TikTokAds.Node.Cluster;

/// <summary>What every silo of ours has, whatever its providers; grain tests build their clusters with it too.</summary>
public static class SiloDefaults
{
    public static ISiloBuilder UseTikTokAdsDefaults(this ISiloBuilder silo)
    {
        // A grain method whose types have no codec stops the silo at start-up, not at the first call.
        silo.Configure<TypeManifestOptions>(o => o.EnableConfigurationAnalysis = true);
        // The platform's trace (traceparent) flows through grain calls, also between nodes.
        silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>
    /// Silos on PostgreSQL: an unreachable database becomes <see cref="TikTokAds.Contracts.ServiceUnavailableException"/>.
    /// Only there: any incoming filter takes Orleans off its direct-invoke path for every call, and in memory there is
    /// no database to lose.
    /// </summary>
    public static ISiloBuilder UseDatabaseOutageFilter(this ISiloBuilder silo) => silo.AddIncomingGrainCallFilter<OutageFilter>();

    /// <summary>The embedded default's providers: grain state in memory (as the same JSON PostgreSQL stores), reminders in memory.</summary>
    public static ISiloBuilder UseMemoryProviders(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(GrainStorage.Name, o => o.Configure<JsonGrainStateSerializer>((storage, serializer) => storage.GrainStorageSerializer = serializer));
        silo.UseInMemoryReminderService();
        return silo;
    }
}
