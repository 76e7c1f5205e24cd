using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TikTokAds.Runtime.Internal;

/// <summary>Every grain registered with the runtime, checked once at start-up.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainTypeInfo> _byInterface = [];
    private readonly Dictionary<string, GrainTypeInfo> _byName = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<GrainRegistration> registrations, JsonSerializerOptions json)
    {
        foreach (var registration in registrations)
        {
            var info = new GrainTypeInfo(registration.InterfaceType, registration.GrainClass);
            if (!_byName.TryAdd(info.Name, info))
            {
                throw new InvalidOperationException($"Two grain interfaces map to the grain type name '{info.Name}'; give one a [GrainType] attribute.");
            }
            _byInterface[registration.InterfaceType] = info;
            foreach (var method in info.Methods.Values)
            {
                method.ParameterTypeInfos = [.. method.ParameterTypes.Select(t => Resolve(json, t, method))];
                method.ResultTypeInfo = method.ResultType is null ? null : Resolve(json, method.ResultType, method);
            }
        }
    }

    public IEnumerable<GrainTypeInfo> All => _byName.Values;

    public GrainTypeInfo Get(Type interfaceType)
        => _byInterface.TryGetValue(interfaceType, out var info)
            ? info
            : throw new InvalidOperationException($"{interfaceType.Name} is not a registered grain interface; call AddGrain<{interfaceType.Name}, ...>() on the runtime builder.");

    public GrainTypeInfo? Find(string name) => _byName.GetValueOrDefault(name);

    private static JsonTypeInfo Resolve(JsonSerializerOptions json, Type type, GrainMethod method)
    {
        try
        {
            return json.GetTypeInfo(type);
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidOperationException(
                $"{method.GrainType}.{method.Name} uses {type.Name}, which no registered JSON resolver knows. Add it to a JsonSerializerContext passed to AddJsonResolver().", ex);
        }
    }
}

/// <summary>A grain interface and the class that implements it.</summary>
internal sealed record GrainRegistration(Type InterfaceType, Type GrainClass);
