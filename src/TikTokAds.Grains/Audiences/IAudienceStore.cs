namespace TikTokAds.Grains.Audiences;

/// <summary>Audience sync runs (with their rows) and confirmed members: PostgreSQL, or memory in the embedded default.</summary>
public interface IAudienceStore
{
    /// <summary>Stores a run: its rows as text, or (<paramref name="packed"/> set, rows empty) already packed as PackedRows has them.</summary>
    Task<long> EnqueueAsync(string audienceKey, string action, IReadOnlyList<string> idSchema, IReadOnlyList<string> rows, byte[]? packed, string trigger, int total, int valid, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Runs not yet done or failed, oldest first (without rows).</summary>
    Task<IReadOnlyList<AudienceOperation>> OpenAsync(string audienceKey, CancellationToken cancellationToken);

    /// <summary>The latest runs, newest first (without rows).</summary>
    Task<IReadOnlyList<AudienceOperation>> HistoryAsync(string audienceKey, int limit, CancellationToken cancellationToken);

    /// <summary>Rows <paramref name="offset"/> to offset + count of a run, in the form they were stored in (packed or text).</summary>
    Task<RunRows> RowsAsync(long opId, int offset, int count, CancellationToken cancellationToken);

    Task UpdateAsync(AudienceOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// A REPLACE's removal chunk TikTok took: its members deleted and the run's progress stored, together. The
    /// removed members' count lives only in that progress, and a crash between the two would lose it for good.
    /// </summary>
    Task CommitRemovalAsync(string audienceKey, AudienceOperation operation, IReadOnlyCollection<string> members, CancellationToken cancellationToken);

    /// <summary>Scheduled runs become pending (their hour came).</summary>
    Task<int> ReleaseScheduledAsync(string audienceKey, CancellationToken cancellationToken);

    /// <summary>
    /// Members TikTok took, added; adding one already stored changes nothing. Safe beside other calls for the same
    /// audience. A <see cref="MemberChunk"/> is stored as it is packed.
    /// </summary>
    Task AddMembersAsync(string audienceKey, IReadOnlyCollection<string> members, CancellationToken cancellationToken);

    /// <summary>Members TikTok deleted, removed; removing one not stored changes nothing. Safe beside other calls for the same audience.</summary>
    Task RemoveMembersAsync(string audienceKey, IReadOnlyCollection<string> members, CancellationToken cancellationToken);

    Task<long> CountMembersAsync(string audienceKey, CancellationToken cancellationToken);

    /// <summary>Stored members that are not among <paramref name="keep"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> MembersNotInAsync(string audienceKey, IReadOnlySet<string> keep, int limit, CancellationToken cancellationToken);

    Task DeleteAudienceAsync(string audienceKey, CancellationToken cancellationToken);
}
