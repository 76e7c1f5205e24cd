using System.Reflection;

namespace TikTokAds.Runtime.Internal;

/// <summary>A registered grain: its stable type name, interface, class, and methods by name.</summary>
internal sealed class GrainTypeInfo
{
    public GrainTypeInfo(Type interfaceType, Type grainClass)
    {
        InterfaceType = interfaceType;
        GrainClass = grainClass;
        Name = NameOf(interfaceType);

        var grainInterfaces = new List<Type> { interfaceType };
        grainInterfaces.AddRange(interfaceType.GetInterfaces().Where(i => typeof(IGrainWithStringKey).IsAssignableFrom(i) && i != typeof(IGrainWithStringKey)));
        if (typeof(IRemindable).IsAssignableFrom(grainClass) && !grainInterfaces.Contains(typeof(IRemindable)))
        {
            grainInterfaces.Add(typeof(IRemindable));
        }

        var methods = new Dictionary<string, GrainMethod>(StringComparer.Ordinal);
        var byInfo = new Dictionary<MethodInfo, GrainMethod>();
        // Static helpers and default implementations on the interface are not grain methods.
        foreach (var method in grainInterfaces.SelectMany(i => i.GetMethods()).Where(m => m.IsAbstract && !m.IsStatic))
        {
            var grainMethod = new GrainMethod(Name, method);
            if (!methods.TryAdd(method.Name, grainMethod))
            {
                throw new InvalidOperationException($"Grain interface {interfaceType.Name} has two methods named {method.Name}; grain methods may not be overloaded.");
            }
            byInfo[method] = grainMethod;
        }
        Methods = methods;
        MethodsByInfo = byInfo;
    }

    public string Name { get; }
    public Type InterfaceType { get; }
    public Type GrainClass { get; }
    public IReadOnlyDictionary<string, GrainMethod> Methods { get; }
    public IReadOnlyDictionary<MethodInfo, GrainMethod> MethodsByInfo { get; }

    /// <summary>IPixelGrain → "pixel", unless the interface carries <see cref="GrainTypeAttribute"/>.</summary>
    public static string NameOf(Type interfaceType)
    {
        if (interfaceType.GetCustomAttribute<GrainTypeAttribute>() is { } attribute)
        {
            return attribute.Name;
        }
        var name = interfaceType.Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name[1..];
        }
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }
        return name.ToLowerInvariant();
    }
}
