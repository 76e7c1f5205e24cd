namespace TikTokAds.Grains.Audiences;

/// <summary>The embedded default's audience store: same rules as PostgreSQL, kept as long as the process.</summary>
public sealed class InMemoryAudienceStore : IAudienceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (string AudienceKey, AudienceOperation Operation, RunRows Rows)> _operations = [];
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);
    private long _nextId;

    public Task<long> EnqueueAsync(string audienceKey, string action, IReadOnlyList<string> idSchema, IReadOnlyList<string> rows, byte[]? packed, string trigger, int total, int valid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var id = ++_nextId;
            var status = trigger == "scheduled" ? OperationStatuses.Scheduled : OperationStatuses.Pending;
            _operations[id] = (audienceKey, new AudienceOperation(id, action, [.. idSchema], trigger, total, valid, status, 0, 0, 0, 0, now, null, null, null),
                PackedRows.Check(packed, idSchema.Count) is { } bytes ? RunRows.OfPacked(bytes, idSchema.Count) : RunRows.OfText([.. rows]));
            return Task.FromResult(id);
        }
    }

    public Task<IReadOnlyList<AudienceOperation>> OpenAsync(string audienceKey, CancellationToken cancellationToken)
        => Query(audienceKey, o => o.Status is not (OperationStatuses.Done or OperationStatuses.Failed), newestFirst: false, int.MaxValue);

    public Task<IReadOnlyList<AudienceOperation>> HistoryAsync(string audienceKey, int limit, CancellationToken cancellationToken)
        => Query(audienceKey, _ => true, newestFirst: true, limit);

    public Task<RunRows> RowsAsync(long opId, int offset, int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_operations.TryGetValue(opId, out var op))
            {
                return Task.FromResult(RunRows.None);
            }
            return Task.FromResult(op.Rows.Slice(offset, count));
        }
    }

    public Task CommitAsync(string audienceKey, AudienceOperation operation, bool removes, IReadOnlyList<IReadOnlyCollection<string>> chunks, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // As in PostgreSQL: the members of a run that is gone (its audience deleted) are not kept.
            if (!_operations.TryGetValue(operation.OpId, out var current))
            {
                return Task.CompletedTask;
            }
            _operations[operation.OpId] = current with { Operation = operation };
            foreach (var chunk in chunks)
            {
                Apply(audienceKey, removes, chunk);
            }
            return Task.CompletedTask;
        }
    }

    public Task<int> ReleaseScheduledAsync(string audienceKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var released = 0;
            foreach (var (id, entry) in _operations.Where(p => p.Value.AudienceKey == audienceKey && p.Value.Operation.Status == OperationStatuses.Scheduled).ToList())
            {
                _operations[id] = entry with { Operation = entry.Operation with { Status = OperationStatuses.Pending } };
                released++;
            }
            return Task.FromResult(released);
        }
    }

    /// <summary>A chunk's members added to or removed from the audience's; called under the lock.</summary>
    private void Apply(string audienceKey, bool removes, IReadOnlyCollection<string> chunk)
    {
        var members = Members(audienceKey);
        if (removes)
        {
            members.ExceptWith(chunk);
        }
        else
        {
            members.UnionWith(chunk);
        }
    }

    public Task<long> CountMembersAsync(string audienceKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult((long)Members(audienceKey).Count);
        }
    }

    public Task<IReadOnlyList<string>> MembersNotInAsync(string audienceKey, IReadOnlySet<string> keep, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<string> extra = [.. Members(audienceKey).Where(m => !keep.Contains(m)).Take(limit)];
            return Task.FromResult(extra);
        }
    }

    public Task DeleteAudienceAsync(string audienceKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _members.Remove(audienceKey);
            foreach (var id in _operations.Where(p => p.Value.AudienceKey == audienceKey).Select(p => p.Key).ToList())
            {
                _operations.Remove(id);
            }
            return Task.CompletedTask;
        }
    }

    private Task<IReadOnlyList<AudienceOperation>> Query(string audienceKey, Func<AudienceOperation, bool> filter, bool newestFirst, int limit)
    {
        lock (_lock)
        {
            var ops = _operations.Values.Where(o => o.AudienceKey == audienceKey).Select(o => o.Operation).Where(filter);
            IReadOnlyList<AudienceOperation> result = [.. (newestFirst ? ops.OrderByDescending(o => o.OpId) : ops.OrderBy(o => o.OpId)).Take(limit)];
            return Task.FromResult(result);
        }
    }

    private HashSet<string> Members(string audienceKey)
    {
        if (!_members.TryGetValue(audienceKey, out var members))
        {
            _members[audienceKey] = members = new HashSet<string>(StringComparer.Ordinal);
        }
        return members;
    }
}
