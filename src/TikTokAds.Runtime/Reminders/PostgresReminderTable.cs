using Npgsql;

namespace TikTokAds.Runtime.Reminders;

/// <summary>Reminders in the reminders table, so they survive every node restarting.</summary>
public sealed class PostgresReminderTable(NpgsqlDataSource dataSource) : IReminderTable
{
    public async Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO reminders (grain_type, grain_key, name, start_at, period_ms, next_due)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (grain_type, grain_key, name)
            DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, next_due = excluded.next_due
            """);
        AddKey(command, entry.GrainId, entry.Name);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.StartAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)entry.Period.TotalMilliseconds });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.NextDue });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3");
        AddKey(command, grainId, name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM reminders WHERE next_due <= $1 ORDER BY next_due LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<bool> AdvanceAsync(GrainId grainId, string name, DateTimeOffset expectedDue, DateTimeOffset nextDue, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE reminders SET next_due = $5
            WHERE grain_type = $1 AND grain_key = $2 AND name = $3 AND next_due = $4
            """);
        AddKey(command, grainId, name);
        command.Parameters.Add(new NpgsqlParameter { Value = expectedDue });
        command.Parameters.Add(new NpgsqlParameter { Value = nextDue });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<(IReadOnlyList<ReminderEntry> Page, long Total)> ReadPageAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns}, count(*) OVER () FROM reminders
            ORDER BY next_due, grain_type, grain_key, name OFFSET $1 LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = offset });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var page = new List<ReminderEntry>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(Read(reader));
            total = reader.GetInt64(6);
        }
        if (page.Count == 0 && offset > 0)
        {
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM reminders");
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return (page, total);
    }

    private const string Columns = "grain_type, grain_key, name, start_at, period_ms, next_due";

    private static async Task<IReadOnlyList<ReminderEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }
        return entries;
    }

    private static ReminderEntry Read(NpgsqlDataReader reader)
        => new(
            new GrainId(reader.GetString(0), reader.GetString(1)),
            reader.GetString(2),
            reader.GetFieldValue<DateTimeOffset>(3),
            TimeSpan.FromMilliseconds(reader.GetInt64(4)),
            reader.GetFieldValue<DateTimeOffset>(5));

    private static void AddKey(NpgsqlCommand command, GrainId grainId, string name)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
    }
}
