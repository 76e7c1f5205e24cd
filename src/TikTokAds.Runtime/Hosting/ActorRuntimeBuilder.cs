using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Runtime.Internal;

namespace TikTokAds.Runtime.Hosting;

/// <summary>Registers grains, JSON resolvers and transportable exceptions with the runtime.</summary>
public sealed class ActorRuntimeBuilder(IServiceCollection services)
{
    public IServiceCollection Services => services;

    public ActorRuntimeBuilder AddGrain<TGrainInterface, TGrain>()
        where TGrainInterface : IGrainWithStringKey
        where TGrain : Grain, TGrainInterface
    {
        services.AddSingleton(new GrainRegistration(typeof(TGrainInterface), typeof(TGrain)));
        return this;
    }

    /// <summary>A source-generated JSON context that knows the grain methods' argument, result and state types.</summary>
    public ActorRuntimeBuilder AddJsonResolver(IJsonTypeInfoResolver resolver)
    {
        services.Configure<GrainJsonOptions>(options => options.Resolvers.Add(resolver));
        return this;
    }

    public ActorRuntimeBuilder AddTransportableException<TException>() where TException : Exception
    {
        services.Configure<GrainJsonOptions>(options => options.TransportableExceptions.Add(typeof(TException)));
        return this;
    }
}
