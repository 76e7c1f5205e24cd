namespace TikTokAds.Runtime.Reminders;

/// <summary>Where reminders are kept: in memory for the embedded default, in PostgreSQL when clustered.</summary>
public interface IReminderTable
{
    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken);

    /// <summary>Reminders due at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Moves the reminder to <paramref name="nextDue"/> if it is still at <paramref name="expectedDue"/>; false if another node moved it.</summary>
    Task<bool> AdvanceAsync(GrainId grainId, string name, DateTimeOffset expectedDue, DateTimeOffset nextDue, CancellationToken cancellationToken);

    /// <summary>A page of all reminders ordered by next due time, and the total, for operators.</summary>
    Task<(IReadOnlyList<ReminderEntry> Page, long Total)> ReadPageAsync(int offset, int limit, CancellationToken cancellationToken);
}
