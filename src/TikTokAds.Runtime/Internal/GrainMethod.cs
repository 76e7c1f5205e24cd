using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace TikTokAds.Runtime.Internal;

/// <summary>A callable grain method: how to invoke it and how its arguments and result cross the wire.</summary>
internal sealed class GrainMethod
{
    private static readonly MethodInfo CastResultMethod = typeof(GrainMethod).GetMethod(nameof(CastResult), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo BoxResultMethod = typeof(GrainMethod).GetMethod(nameof(BoxResult), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<Task<object?>, object> _toCallerTask;
    private readonly Func<Task, Task<object?>> _fromGrainTask;

    public GrainMethod(string grainType, MethodInfo method)
    {
        GrainType = grainType;
        Method = method;
        Name = method.Name;
        ParameterTypes = [.. method.GetParameters().Select(p => p.ParameterType)];
        if (method.ReturnType == typeof(Task))
        {
            ResultType = null;
            _toCallerTask = static t => t;
            _fromGrainTask = static async t => { await t.ConfigureAwait(false); return null; };
        }
        else if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            ResultType = method.ReturnType.GetGenericArguments()[0];
            _toCallerTask = CastResultMethod.MakeGenericMethod(ResultType).CreateDelegate<Func<Task<object?>, object>>();
            _fromGrainTask = BoxResultMethod.MakeGenericMethod(ResultType).CreateDelegate<Func<Task, Task<object?>>>();
        }
        else
        {
            throw new InvalidOperationException($"Grain method {method.DeclaringType?.Name}.{method.Name} must return Task or Task<T>.");
        }
    }

    public string GrainType { get; }
    public MethodInfo Method { get; }
    public string Name { get; }
    public Type[] ParameterTypes { get; }
    public Type? ResultType { get; }

    /// <summary>JSON metadata, resolved once at start-up so a missing type fails early.</summary>
    public JsonTypeInfo[] ParameterTypeInfos { get; set; } = [];
    public JsonTypeInfo? ResultTypeInfo { get; set; }

    public Task<object?> InvokeAsync(object grain, object?[] arguments)
    {
        Task task;
        try
        {
            task = (Task)Method.Invoke(grain, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            return Task.FromException<object?>(ex.InnerException);
        }
        return _fromGrainTask(task);
    }

    /// <summary>Turns the runtime's untyped result into the Task or Task&lt;T&gt; the interface returns.</summary>
    public object ToCallerTask(Task<object?> result) => _toCallerTask(result);

    private static async Task<T> CastResult<T>(Task<object?> task) => (T)(await task.ConfigureAwait(false))!;

    private static async Task<object?> BoxResult<T>(Task task) => await ((Task<T>)task).ConfigureAwait(false);
}
