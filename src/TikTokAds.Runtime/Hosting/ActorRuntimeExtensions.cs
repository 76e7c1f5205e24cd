using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TikTokAds.Runtime.Internal;
using TikTokAds.Runtime.Membership;
using TikTokAds.Runtime.Reminders;
using TikTokAds.Runtime.Statistics;
using TikTokAds.Runtime.Storage;
using TikTokAds.Runtime.Transport;

namespace TikTokAds.Runtime.Hosting;

public static class ActorRuntimeExtensions
{
    /// <summary>
    /// Adds the actor runtime. With ConnectionStrings:Postgres set: PostgreSQL state, reminders and
    /// membership, and clustering. Without: the embedded default, one node on in-memory providers.
    /// </summary>
    public static ActorRuntimeBuilder AddActorRuntime(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<GrainRuntimeOptions>().Bind(configuration.GetSection(GrainRuntimeOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.AddOptions<GrainJsonOptions>();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);

        // The mode is decided when the container is built, so test hosts can still change configuration.
        services.AddSingleton<RuntimeMode>();
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<RuntimeMode>().ConnectionString
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set.")));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<RuntimeMode>().IsClustered
            ? new PostgresGrainStorage(sp.GetRequiredService<NpgsqlDataSource>())
            : new InMemoryGrainStorage());
        services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<RuntimeMode>().IsClustered
            ? new PostgresReminderTable(sp.GetRequiredService<NpgsqlDataSource>())
            : new InMemoryReminderTable());
        services.AddSingleton<IClusterMembership>(sp => sp.GetRequiredService<RuntimeMode>().IsClustered
            ? ActivatorUtilities.CreateInstance<PostgresMembership>(sp)
            : new SingleNodeMembership(sp.GetRequiredService<NodeIdentity>().NodeId, sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<RuntimeStatistics>();
        services.AddSingleton<ClusterHttpClient>();
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>().GrainFactory);
        services.AddSingleton<IGrainRuntimeInfo>(sp => new GrainRuntimeInfo(sp.GetRequiredService<GrainRuntime>(), sp.GetRequiredService<RuntimeMode>()));
        services.AddHostedService<ActorRuntimeHostedService>();
        services.AddHealthChecks().AddCheck<ActorRuntimeHealthCheck>("actor-runtime", tags: ["ready"]);
        return new ActorRuntimeBuilder(services);
    }

    /// <summary>Maps the signed node-to-node call endpoint.</summary>
    public static IEndpointConventionBuilder MapActorRuntime(this IEndpointRouteBuilder endpoints)
    {
        var runtime = endpoints.ServiceProvider.GetRequiredService<GrainRuntime>();
        return endpoints.MapPost(ClusterTransport.CallPath, context => ClusterCallEndpoint.HandleAsync(context, runtime))
            .WithMetadata(new Microsoft.AspNetCore.Routing.ExcludeFromDescriptionAttribute());
    }
}
