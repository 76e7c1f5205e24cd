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

    /// <summary>
    /// Chunks TikTok took (none, when only the run changed), added or deleted here, and the run as it stands past
    /// them, stored in one transaction: the run's progress never passes a chunk whose members are not stored, and a
    /// REPLACE's removed count (which lives only in that progress) is never left behind by a crash. When the run
    /// ends here, the audience's member log is then rewritten as one row (a failed rewrite is logged, not thrown).
    /// Adding a member already stored, or removing one not stored, changes nothing; commits of different runs of the
    /// same audience are safe side by side. A <see cref="MemberChunk"/> is stored as it is packed. A run that is gone
    /// (its audience deleted) takes none of the chunks.
    /// </summary>
    Task CommitAsync(string audienceKey, AudienceOperation operation, bool removes, IReadOnlyList<IReadOnlyCollection<string>> chunks, CancellationToken cancellationToken);

    /// <summary>Scheduled runs become pending (their hour came).</summary>
    Task<int> ReleaseScheduledAsync(string audienceKey, CancellationToken cancellationToken);

    Task<long> CountMembersAsync(string audienceKey, CancellationToken cancellationToken);

    /// <summary>Stored members that are not among <paramref name="keep"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> MembersNotInAsync(string audienceKey, IReadOnlySet<string> keep, int limit, CancellationToken cancellationToken);

    Task DeleteAudienceAsync(string audienceKey, CancellationToken cancellationToken);
}
