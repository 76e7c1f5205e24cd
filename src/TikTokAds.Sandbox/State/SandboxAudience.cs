namespace TikTokAds.Sandbox.State;

/// <summary>An audience as TikTok keeps it: members are identifiers ("EMAIL_SHA256:…"), usable once processed.</summary>
public sealed class SandboxAudience(string audienceId, string advertiserId, string name, string type, string calculateType, DateTimeOffset createdAt, DateTimeOffset readyAt)
{
    public string AudienceId { get; } = audienceId;
    public string AdvertiserId { get; } = advertiserId;
    public string Name { get; set; } = name;

    /// <summary>SEGMENT (partner audience via mapping), CUSTOMER_FILE or LOOKALIKE.</summary>
    public string Type { get; } = type;

    public string CalculateType { get; } = calculateType;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset ReadyAt { get; } = readyAt;
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    public long LookalikeSize { get; set; }
    public string? SourceAudienceId { get; set; }
    public int Updates { get; set; }

    // Who waits for the audience to hold a number of members; touched only under the store's lock, as Members is.
    private List<(int Count, TaskCompletionSource Reached)>? _waiters;

    // The smallest count waited for: a change below it completes nothing, which one comparison tells.
    private int _nextReached = int.MaxValue;

    public bool IsReady(DateTimeOffset now) => now >= ReadyAt;

    /// <summary>
    /// Completes once the audience holds at least <paramref name="count"/> members (its members, not a lookalike's
    /// size). Called under the store's lock (<see cref="AudienceStore.WhenHolds"/>); the continuation runs off the lock,
    /// on the thread pool. Fails if the audience is deleted first (<see cref="Abandon"/>).
    /// </summary>
    internal Task WhenHolds(int count)
    {
        if (Members.Count >= count)
        {
            return Task.CompletedTask;
        }
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_waiters ??= []).Add((count, reached));
        _nextReached = Math.Min(_nextReached, count);
        return reached.Task;
    }

    /// <summary>Members were added or removed (under the store's lock): the waits they satisfy complete.</summary>
    internal void MembersChanged()
    {
        if (Members.Count < _nextReached || _waiters is null)
        {
            return;
        }
        foreach (var (count, reached) in _waiters)
        {
            if (Members.Count >= count)
            {
                reached.TrySetResult();
            }
        }
        _waiters.RemoveAll(waiter => waiter.Reached.Task.IsCompleted);
        _nextReached = _waiters.Count == 0 ? int.MaxValue : _waiters.Min(waiter => waiter.Count);
    }

    /// <summary>The audience is gone (under the store's lock): every wait still pending fails instead of hanging.</summary>
    internal void Abandon()
    {
        foreach (var (_, reached) in _waiters ?? [])
        {
            reached.TrySetException(new KeyNotFoundException($"Audience {AudienceId} was deleted before it held the members waited for."));
        }
        _waiters = null;
        _nextReached = int.MaxValue;
    }

    public long Size => Type == "LOOKALIKE" ? LookalikeSize : Members.Count;
}
