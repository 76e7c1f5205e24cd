using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Runtime.Hosting;
using TikTokAds.Runtime.Membership;
using TikTokAds.Runtime.Reminders;
using TikTokAds.Runtime.Statistics;
using TikTokAds.Runtime.Storage;
using TikTokAds.Runtime.Transport;

namespace TikTokAds.Runtime.Internal;

/// <summary>
/// Routes each call: to the local catalog when this node owns the grain, otherwise one signed hop to the
/// owner. Calls that did not run (misdirected, unreachable, bounced) are routed again on a fresh view
/// until the call timeout.
/// </summary>
internal sealed class GrainRuntime
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)];
    private readonly IServiceProvider _services;
    private readonly IGrainStorage _storage;
    private readonly JsonSerializerOptions _json;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _leaving;

    public GrainRuntime(
        IServiceProvider services,
        IOptions<GrainRuntimeOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        IOptions<GrainJsonOptions> jsonOptions,
        IEnumerable<GrainRegistration> registrations,
        IGrainStorage storage,
        IReminderTable reminderTable,
        IClusterMembership membership,
        NodeIdentity identity,
        RuntimeStatistics statistics,
        TimeProvider timeProvider,
        ClusterHttpClient httpClient,
        ILogger<GrainRuntime> logger)
    {
        _services = services;
        _storage = storage;
        _json = jsonOptions.Value.CreateSerializerOptions();
        Options = options.Value;
        Membership = membership;
        NodeId = identity.NodeId;
        Statistics = statistics;
        TimeProvider = timeProvider;
        Logger = logger;
        Registry = new GrainTypeRegistry(registrations, _json);
        Catalog = new Catalog(this);
        GrainFactory = new GrainFactory(this);
        Reminders = new ReminderService(this, reminderTable, logger);
        var secret = clusterOptions.Value.Secret;
        Signer = string.IsNullOrEmpty(secret) ? null : new ClusterCallSigner(secret, TimeProvider.System);
        Transport = new ClusterTransport(httpClient.Client, Signer, new TransportableExceptions(jsonOptions.Value.TransportableExceptions), NodeId);
        membership.ViewChanged += OnViewChanged;
    }

    public string NodeId { get; }
    public GrainRuntimeOptions Options { get; }
    public IClusterMembership Membership { get; }
    public RuntimeStatistics Statistics { get; }
    public TimeProvider TimeProvider { get; }
    public ILogger Logger { get; }
    public GrainTypeRegistry Registry { get; }
    public Catalog Catalog { get; }
    public IGrainFactory GrainFactory { get; }
    public ReminderService Reminders { get; }
    public ClusterCallSigner? Signer { get; }
    public ClusterTransport Transport { get; }
    public CancellationToken StoppingToken => _stopping.Token;
    public bool IsServing => Membership.IsServing && !_leaving;

    public async Task<object?> InvokeAsync(GrainTypeInfo type, GrainId grainId, GrainMethod method, object?[] arguments)
    {
        using var deadline = new CancellationTokenSource(Options.CallTimeout);
        try
        {
            return await DispatchAsync(type, grainId, method, arguments, deadline.Token).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new GrainCallTimeoutException($"Call to {grainId}.{method.Name} did not complete within {Options.CallTimeout.TotalSeconds:0.###} s (Grains:CallTimeout).");
        }
    }

    private async Task<object?> DispatchAsync(GrainTypeInfo type, GrainId grainId, GrainMethod method, object?[] arguments, CancellationToken deadline)
    {
        for (var attempt = 0; ; attempt++)
        {
            var owner = RendezvousPlacement.SelectOwner(grainId, Membership.View.Nodes, _leaving ? NodeId : null);
            if (owner is not null)
            {
                if (owner.NodeId == NodeId)
                {
                    try
                    {
                        return await ExecuteOwnedAsync(type, grainId, method, arguments);
                    }
                    catch (NotOwnerException)
                    {
                    }
                }
                else
                {
                    var (outcome, result) = await Transport.SendAsync(owner, grainId, method, arguments, deadline);
                    if (outcome == RemoteOutcome.Completed)
                    {
                        return result;
                    }
                    RuntimeLog.Rerouting(Logger, grainId.ToString(), owner.NodeId, outcome);
                }
            }
            await Task.Delay(RetryDelays[Math.Min(attempt, RetryDelays.Length - 1)], deadline);
            await Membership.RefreshAsync(deadline);
        }
    }

    /// <summary>Runs the call here if this node owns the grain, re-queuing it if it hit a deactivating activation.</summary>
    /// <exception cref="NotOwnerException">The grain belongs elsewhere, or this node is not serving.</exception>
    public async Task<object?> ExecuteOwnedAsync(GrainTypeInfo type, GrainId grainId, GrainMethod method, object?[] arguments)
    {
        while (true)
        {
            if (!IsServing || RendezvousPlacement.SelectOwner(grainId, Membership.View.Nodes)?.NodeId != NodeId)
            {
                throw new NotOwnerException();
            }
            var activation = Catalog.GetOrCreate(type, grainId);
            var call = new CallWorkItem(method, arguments);
            if (activation.TryEnqueue(call))
            {
                try
                {
                    return await call.Completion;
                }
                catch (ActivationBouncedException)
                {
                }
            }
            await activation.Deactivated;
        }
    }

    public Grain CreateGrain(GrainActivation activation, out IReadOnlyList<IStateHandle> states)
    {
        var constructor = activation.Type.GrainClass.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var extra = new List<object>();
        var handles = new List<IStateHandle>();
        foreach (var parameter in constructor.GetParameters())
        {
            var type = parameter.ParameterType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IPersistentState<>))
            {
                var stateName = parameter.GetCustomAttribute<PersistentStateAttribute>()?.StateName ?? parameter.Name ?? "state";
                var stateType = type.GetGenericArguments()[0];
                var stateClass = typeof(PersistentState<>).MakeGenericType(stateType);
                var handle = Activator.CreateInstance(stateClass, _storage, activation.GrainId, stateName, _json.GetTypeInfo(stateType))!;
                extra.Add(handle);
                handles.Add((IStateHandle)handle);
            }
        }
        var grain = (Grain)ActivatorUtilities.CreateInstance(_services, activation.Type.GrainClass, [.. extra]);
        grain.Activation = activation;
        states = handles;
        return grain;
    }

    /// <summary>Graceful stop, first half: stop taking calls and let every activation run its deactivate hook.</summary>
    public async Task DeactivateAllAsync()
    {
        _leaving = true;
        using var timeout = new CancellationTokenSource(Options.DeactivationTimeout);
        await Catalog.DeactivateAsync(static _ => true, DeactivationReason.NodeShutdown).WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Stop() => _stopping.Cancel();

    private void OnViewChanged(ClusterView view)
    {
        // Activations whose grains now belong to another node hand over: deactivate (and so flush) here.
        _ = Catalog.DeactivateAsync(a => RendezvousPlacement.SelectOwner(a.GrainId, view.Nodes)?.NodeId != NodeId, DeactivationReason.PlacementChanged);
    }
}
