using System.Reflection;

namespace TikTokAds.Runtime.Internal;

/// <summary>The proxy behind a grain interface: every method call becomes a runtime dispatch.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from this type at run time.
internal class GrainReference : DispatchProxy
#pragma warning restore CA1852
{
    private GrainRuntime? _runtime;
    private GrainTypeInfo? _type;
    private GrainId _grainId;

    public static TGrain Create<TGrain>(GrainRuntime runtime, GrainTypeInfo type, GrainId grainId)
    {
        var proxy = Create<TGrain, GrainReference>();
        var reference = (GrainReference)(object)proxy!;
        reference._runtime = runtime;
        reference._type = type;
        reference._grainId = grainId;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!_type!.MethodsByInfo.TryGetValue(targetMethod, out var method))
        {
            throw new NotSupportedException($"{targetMethod.Name} is not a grain method of {_type.Name}.");
        }
        return method.ToCallerTask(_runtime!.InvokeAsync(_type, _grainId, method, args ?? []));
    }

    public override string ToString() => $"GrainReference({_grainId})";
}
