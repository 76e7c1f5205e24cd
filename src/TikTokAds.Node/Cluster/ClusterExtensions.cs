using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;
using TikTokAds.Grains;

namespace TikTokAds.Node.Cluster;

internal static class ClusterExtensions
{
    private const string Invariant = "Npgsql";

    /// <summary>
    /// The node's Orleans silo. Without ConnectionStrings:Postgres: the embedded default, one silo on free
    /// loopback ports with memory storage and reminders. With it: ADO.NET clustering, grain storage and
    /// reminders on PostgreSQL, with membership tuned to notice a dead node within seconds.
    /// </summary>
    public static IHostApplicationBuilder AddTikTokAdsCluster(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClusterNodeOptions>().Bind(builder.Configuration.GetSection(ClusterNodeOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterNodeOptions>, ClusterNodeOptionsValidator>();
        services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: ["ready"]);
        var connectionString = PostgresConnection.Of(builder.Configuration);
        if (connectionString is not null)
        {
            services.AddSingleton(_ => PostgresConnection.DataSource(connectionString));
            services.AddSingleton<SchemaMigrator>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigration>();
        }
        builder.UseOrleans(silo =>
        {
            if (connectionString is null)
            {
                UseEmbedded(silo);
            }
            else
            {
                UsePostgres(silo);
                UseClusterTls(silo, builder.Configuration);
            }
            silo.Services.AddOptions<ReminderOptions>().Configure<IOptions<ClusterNodeOptions>>((reminders, node) => reminders.MinimumReminderPeriod = node.Value.MinimumReminderPeriod);
            silo.UseTikTokAdsDefaults();
            silo.AddDashboard(o => o.HideTrace = true);
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloStartedLog>();
        });
        return builder;
    }

    private static void UseEmbedded(ISiloBuilder silo)
    {
        // One silo, reachable on loopback only; free ports so that several embedded nodes can share a machine.
        silo.UseLocalhostClustering(FreeLoopbackPort(), FreeLoopbackPort(), serviceId: "tiktokads", clusterId: "embedded");
        silo.UseMemoryProviders();
    }

    private static void UsePostgres(ISiloBuilder silo)
    {
        silo.Services.AddOptions<Orleans.Configuration.ClusterOptions>().Configure<IOptions<ClusterNodeOptions>>((cluster, node) =>
        {
            cluster.ClusterId = node.Value.ClusterId;
            cluster.ServiceId = node.Value.ServiceId;
        });
        silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<ClusterNodeOptions>, ILoggerFactory>((endpoints, node, logs) =>
        {
            var options = node.Value;
            if (options.AdvertisedAddress is null)
            {
                ClusterLog.LoopbackAdvertised(logs.CreateLogger(typeof(ClusterExtensions)));
            }
            endpoints.AdvertisedIPAddress = options.AdvertisedAddress is { } address ? ClusterNodeOptionsValidator.Resolve(address) : IPAddress.Loopback;
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            // Listen on every interface (containers), advertise the one address other silos dial.
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
            endpoints.GatewayListeningEndpoint = options.GatewayPort == 0 ? null : new IPEndPoint(IPAddress.Any, options.GatewayPort);
        });
        silo.UseAdoNetClustering(o => o.Configure<NpgsqlDataSource>((clustering, database) =>
        {
            clustering.Invariant = Invariant;
            clustering.DataSource = database;
        }));
        silo.AddAdoNetGrainStorage(GrainStorage.Name, o => o.Configure<NpgsqlDataSource, JsonGrainStateSerializer>((storage, database, serializer) =>
        {
            storage.Invariant = Invariant;
            storage.DataSource = database;
            storage.GrainStorageSerializer = serializer;
        }));
        silo.UseAdoNetReminderService(o => o.Configure<NpgsqlDataSource>((reminders, database) =>
        {
            reminders.Invariant = Invariant;
            reminders.DataSource = database;
        }));
        CombineReminderUpserts(silo.Services);
        silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
        silo.UseDatabaseOutageFilter();
    }

    /// <summary>
    /// Wraps the reminder table Orleans' ADO.NET provider registered in <see cref="CombinedReminderTable"/>, which
    /// writes concurrent registrations together and leaves everything else to it.
    /// </summary>
    internal static void CombineReminderUpserts(IServiceCollection services)
    {
        var orleans = services.Single(d => d.ServiceType == typeof(IReminderTable));
        var type = orleans.ImplementationType ?? throw new InvalidOperationException($"Orleans' reminder table is registered as {orleans}, not by its type.");
        services.Remove(orleans);
        services.AddSingleton<IReminderTable>(provider => new CombinedReminderTable(
            (IReminderTable)ActivatorUtilities.CreateInstance(provider, type),
            provider.GetRequiredService<NpgsqlDataSource>(),
            provider.GetRequiredService<IOptions<Orleans.Configuration.ClusterOptions>>()));
    }

    /// <summary>Mutual TLS between silos (and for gateway clients) with the pinned cluster certificate.</summary>
    private static void UseClusterTls(ISiloBuilder silo, IConfiguration configuration)
    {
        var node = configuration.GetSection(ClusterNodeOptions.SectionName).Get<ClusterNodeOptions>() ?? new();
        // A missing file is left to the options validator, which stops the start with a message naming the setting.
        if (node.CertificatePath is { } path && File.Exists(path))
        {
            var certificate = ClusterCertificate.Load(path, node.CertificatePassword);
            silo.UseTls(certificate, tls => ClusterCertificate.Configure(tls, certificate));
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
