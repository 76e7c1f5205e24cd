using System.Reflection;
using TikTokAds.Grains.Events;

namespace TikTokAds.Node.Tests.Stores;

/// <summary>
/// An event store that passes every call to another, except that each append's answer goes through a test's hook:
/// (pixel key, events, the inner store's answer) to the answer the grain hears.
/// </summary>
public class AroundAppends : DispatchProxy
{
    private IEventStore _inner = null!;
    private Func<string, IReadOnlyList<NewEvent>, Task<IReadOnlyList<long?>>, Task<IReadOnlyList<long?>>> _append = null!;

    public static IEventStore Wrap(IEventStore inner, Func<string, IReadOnlyList<NewEvent>, Task<IReadOnlyList<long?>>, Task<IReadOnlyList<long?>>> append)
    {
        var proxy = Create<IEventStore, AroundAppends>();
        var around = (AroundAppends)(object)proxy;
        (around._inner, around._append) = (inner, append);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var result = targetMethod!.Invoke(_inner, args);
        return targetMethod.Name == nameof(IEventStore.AppendAsync)
            ? _append((string)args![0]!, (IReadOnlyList<NewEvent>)args[1]!, (Task<IReadOnlyList<long?>>)result!)
            : result;
    }
}
