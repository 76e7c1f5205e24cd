using System.Collections.Concurrent;

namespace TikTokAds.Runtime.Reminders;

/// <summary>The embedded default: reminders last as long as the process.</summary>
public sealed class InMemoryReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId, string), ReminderEntry> _entries = new();

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        _entries[(entry.GrainId, entry.Name)] = entry;
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken)
        => Task.FromResult(_entries.TryRemove((grainId, name), out _));

    public Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<ReminderEntry> due = [.. _entries.Values.Where(e => e.NextDue <= now).OrderBy(e => e.NextDue).Take(limit)];
        return Task.FromResult(due);
    }

    public Task<bool> AdvanceAsync(GrainId grainId, string name, DateTimeOffset expectedDue, DateTimeOffset nextDue, CancellationToken cancellationToken)
    {
        var key = (grainId, name);
        var advanced = _entries.TryGetValue(key, out var current)
            && current.NextDue == expectedDue
            && _entries.TryUpdate(key, current with { NextDue = nextDue }, current);
        return Task.FromResult(advanced);
    }

    public Task<(IReadOnlyList<ReminderEntry> Page, long Total)> ReadPageAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<ReminderEntry> page = [.. _entries.Values.OrderBy(e => e.NextDue).ThenBy(e => e.GrainId.ToString(), StringComparer.Ordinal).Skip(offset).Take(limit)];
        return Task.FromResult((page, (long)_entries.Count));
    }
}
