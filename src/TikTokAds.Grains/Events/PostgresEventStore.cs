using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TikTokAds.Grains.Assurance;
using TikTokAds.TikTok;

namespace TikTokAds.Grains.Events;

/// <summary>pixel_events in PostgreSQL. A batch of up to 1,000 events is one INSERT … SELECT FROM unnest(…).</summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource) : IEventStore
{
    private const string RecordColumns = "event_name, event_id, event_source, status, reason, accepted_at, delivered_at, failed_at, request_id, code, message, attempts, trace_id";

    public async Task<IReadOnlyList<long?>> AppendAsync(string pixelKey, IReadOnlyList<NewEvent> events, DateTimeOffset now, TimeSpan dedupWindow, CancellationToken cancellationToken)
    {
        // A conflicting row within the window is left alone (a duplicate: no row comes back); an older one
        // is taken over, as TikTok would accept the pair again.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO pixel_events (pixel_key, event_name, event_id, event_source, test_event_code, payload, status, reason, accepted_at, trace_id)
            SELECT $1, e.name, e.id, e.source, e.test, e.payload, e.status, e.reason, $2, e.trace
            FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $11::text[]) AS e(name, id, source, test, payload, status, reason, trace)
            ON CONFLICT (pixel_key, event_name, event_id) DO UPDATE SET
                event_source = excluded.event_source, test_event_code = excluded.test_event_code, payload = excluded.payload,
                status = excluded.status, reason = excluded.reason, accepted_at = excluded.accepted_at, trace_id = excluded.trace_id, delivered_at = NULL,
                failed_at = NULL, request_id = NULL, code = NULL, message = NULL, attempts = 0, seq = nextval(pg_get_serial_sequence('pixel_events', 'seq'))
            WHERE pixel_events.accepted_at < $2 - $10
            RETURNING event_name, event_id, seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventName).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventSource).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.TestEventCode).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => JsonSerializer.Serialize(e.Payload, TikTokJsonContext.Default.TrackEvent)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Status).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Reason).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = dedupWindow });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.TraceId).ToArray() });
        var seqs = new Dictionary<(string, string), long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                seqs[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }
        return [.. events.Select(e => seqs.TryGetValue((e.EventName, e.EventId), out var seq) ? seq : (long?)null)];
    }

    public async Task<IReadOnlyList<BufferedEvent>> LoadPendingAsync(string pixelKey, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT seq, event_name, event_id, event_source, test_event_code, payload::text, accepted_at
            FROM pixel_events WHERE pixel_key = $1 AND status = 'accepted' ORDER BY seq LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var pending = new List<BufferedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new BufferedEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                JsonSerializer.Deserialize(reader.GetString(5), TikTokJsonContext.Default.TrackEvent)!,
                reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return pending;
    }

    public async Task MarkDeliveredAsync(string pixelKey, IReadOnlyList<long> seqs, string? requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE pixel_events SET status = 'delivered', delivered_at = $3, request_id = $4, code = 0, message = 'OK', attempts = attempts + 1
            WHERE pixel_key = $1 AND seq = ANY($2) AND status = 'accepted'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = seqs.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)requestId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkFailedAsync(string pixelKey, IReadOnlyList<long> seqs, int code, string message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE pixel_events SET status = 'failed', failed_at = $3, code = $4, message = $5, attempts = attempts + 1
            WHERE pixel_key = $1 AND seq = ANY($2) AND status = 'accepted'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = seqs.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { Value = message });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<EventRecord>> FindAsync(string pixelKey, string eventId, CancellationToken cancellationToken)
        => ReadRecordsAsync($"SELECT {RecordColumns} FROM pixel_events WHERE pixel_key = $1 AND event_id = $2 ORDER BY seq", cancellationToken, pixelKey, eventId);

    public Task<IReadOnlyList<EventRecord>> LatestAsync(string pixelKey, int limit, CancellationToken cancellationToken)
        => ReadRecordsAsync($"SELECT {RecordColumns} FROM pixel_events WHERE pixel_key = $1 ORDER BY accepted_at DESC, seq DESC LIMIT $2", cancellationToken, pixelKey, limit);

    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(string pixelKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM pixel_events WHERE pixel_key = $1 GROUP BY status");
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM pixel_events WHERE status <> 'accepted' AND accepted_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveredCount>> CountDeliveredByDayAsync(string pixelKey, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        // The predicate matches the partial index pixel_events_delivered_by_time (sql/0010).
        await using var command = dataSource.CreateCommand("""
            SELECT (payload->>'event_time')::bigint / 86400 AS day, event_name, count(*)
            FROM pixel_events
            WHERE pixel_key = $1 AND status = 'delivered' AND test_event_code IS NULL
              AND (payload->>'event_time')::bigint >= $2 AND (payload->>'event_time')::bigint < $3
            GROUP BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)from.DayNumber * 86400 - UnixEpochSeconds });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(to.DayNumber + 1) * 86400 - UnixEpochSeconds });
        var counts = new List<DeliveredCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new DeliveredCount(DateOnly.FromDayNumber((int)(reader.GetInt64(0) + UnixEpochDay)), reader.GetString(1), reader.GetInt64(2)));
        }
        return counts;
    }

    public async Task<IReadOnlyList<MatchKeyCounts>> CountMatchKeysAsync(string pixelKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // The same presence rules as MatchKeys.Count: a key counts when its value is a non-empty string.
        await using var command = dataSource.CreateCommand("""
            SELECT event_name, count(*),
                   count(*) FILTER (WHERE coalesce(payload->'user'->>'email', '') <> ''),
                   count(*) FILTER (WHERE coalesce(payload->'user'->>'phone', '') <> ''),
                   count(*) FILTER (WHERE coalesce(payload->'user'->>'external_id', '') <> ''),
                   count(*) FILTER (WHERE coalesce(payload->'user'->>'ttclid', '') <> ''),
                   count(*) FILTER (WHERE coalesce(payload->'user'->>'ttp', '') <> ''),
                   count(*) FILTER (WHERE coalesce(payload->'user'->>'ip', '') <> '' AND coalesce(payload->'user'->>'user_agent', '') <> ''),
                   count(*) FILTER (WHERE coalesce(payload->>'event_id', '') <> '')
            FROM pixel_events
            WHERE pixel_key = $1 AND status <> 'skipped' AND accepted_at >= $2 AND accepted_at < $3
            GROUP BY event_name
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        var counts = new List<MatchKeyCounts>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new MatchKeyCounts(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));
        }
        return counts;
    }

    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static readonly long UnixEpochSeconds = (long)UnixEpochDay * 86400;

    private async Task<IReadOnlyList<EventRecord>> ReadRecordsAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        var records = new List<EventRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new EventRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetInt32(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }
        return records;
    }
}
