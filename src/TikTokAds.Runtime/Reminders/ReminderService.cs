using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TikTokAds.Runtime.Internal;
using TikTokAds.Runtime.Membership;

namespace TikTokAds.Runtime.Reminders;

/// <summary>
/// Registers reminders and delivers their ticks. Every node polls the table and ticks only the grains it
/// owns; a compare-and-swap on the due time keeps two nodes from both ticking the same slot, except
/// while their views of membership disagree, when a tick may be doubled.
/// </summary>
internal sealed class ReminderService(GrainRuntime runtime, IReminderTable table, ILogger logger)
{
    private const int PollBatch = 1000;
    private readonly ConcurrentDictionary<(GrainId, string), bool> _inFlight = new();

    public IReminderTable Table => table;

    public async Task RegisterAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (period < runtime.Options.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"A reminder period must be at least Grains:MinimumReminderPeriod ({runtime.Options.MinimumReminderPeriod}).");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        var type = runtime.Registry.Find(grainId.Type);
        if (type is null || !typeof(IRemindable).IsAssignableFrom(type.GrainClass))
        {
            throw new InvalidOperationException($"Grain type '{grainId.Type}' must implement IRemindable to register reminders.");
        }
        var start = runtime.TimeProvider.GetUtcNow() + dueTime;
        await table.UpsertAsync(new ReminderEntry(grainId, name, start, period, start), cancellationToken);
    }

    public Task UnregisterAsync(GrainId grainId, string name, CancellationToken cancellationToken)
        => table.RemoveAsync(grainId, name, cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(runtime.Options.ReminderPollInterval, runtime.TimeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await PollAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RuntimeLog.ReminderPollFailed(logger, ex);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        if (!runtime.IsServing)
        {
            return;
        }
        var now = runtime.TimeProvider.GetUtcNow();
        var nodes = runtime.Membership.View.Nodes;
        foreach (var entry in await table.ReadDueAsync(now, PollBatch, cancellationToken))
        {
            var key = (entry.GrainId, entry.Name);
            if (RendezvousPlacement.SelectOwner(entry.GrainId, nodes)?.NodeId != runtime.NodeId || !_inFlight.TryAdd(key, true))
            {
                continue;
            }
            if (!await table.AdvanceAsync(entry.GrainId, entry.Name, entry.NextDue, entry.NextDueAfter(now), cancellationToken))
            {
                _inFlight.TryRemove(key, out _);
                continue;
            }
            _ = DeliverAsync(entry, now).ContinueWith(_ => _inFlight.TryRemove(key, out bool _), TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(ReminderEntry entry, DateTimeOffset now)
    {
        try
        {
            var type = runtime.Registry.Find(entry.GrainId.Type)
                ?? throw new InvalidOperationException($"No grain type '{entry.GrainId.Type}' is registered on this node.");
            var method = type.Methods[nameof(IRemindable.ReceiveReminderAsync)];
            await runtime.InvokeAsync(type, entry.GrainId, method, [entry.Name, new TickStatus(entry.StartAt, entry.Period, now)]);
        }
#pragma warning disable CA1031 // A failed tick is logged; the next one comes at the next period, as in Orleans.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RuntimeLog.ReminderTickFailed(logger, ex, entry.GrainId.ToString(), entry.Name);
        }
    }
}
