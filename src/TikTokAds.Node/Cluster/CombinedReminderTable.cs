using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using TikTokAds.Grains.Events;

namespace TikTokAds.Node.Cluster;

/// <summary>
/// Orleans' ADO.NET reminder table with group commit for registrations. Orleans' reminder service registers each
/// grain's reminder with its own upsert, one transaction each; when an on-sale wakes thousands of pixels at once,
/// each pixel's flush reminder was a transaction of its own in the burst (docs/BENCHMARKS.md, thirtieth pass).
/// Here registrations that arrive while one is being written wait, and the next write carries them all in one
/// statement and one commit (<see cref="WriteCombiner{TRequest, TResult}"/>). Each caller still hears its ETag only
/// once its row is committed, so a registered reminder survives a crash as before.
/// <para>
/// The statement does what 0003's UpsertReminderRowKey does for one row: a new reminder starts at version 0, and
/// registering again replaces the schedule and moves the version on. A write holds at most one registration per
/// reminder; a second one for the same reminder waits for the next write, so each gets its own version. Reads,
/// removals and clearing go to Orleans' own table unchanged.
/// </para>
/// </summary>
internal sealed class CombinedReminderTable : IReminderTable
{
    /// <summary>Registrations a write carries at most.</summary>
    public const int UpsertsPerWrite = 500;

    private const string UpsertSql = """
        INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
        SELECT $1, u.grain_id, u.reminder_name, u.grain_hash, u.start_time, u.period_ms, 0
          FROM unnest($2::text[], $3::text[], $4::integer[], $5::timestamptz[], $6::bigint[])
               AS u(grain_id, reminder_name, grain_hash, start_time, period_ms)
        ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
           SET grain_hash = EXCLUDED.grain_hash, start_time = EXCLUDED.start_time,
               period_ms = EXCLUDED.period_ms, version = r.version + 1
        RETURNING grain_id, reminder_name, version
        """;

    private readonly IReminderTable _orleans;
    private readonly NpgsqlDataSource _database;
    private readonly string _serviceId;
    private readonly WriteCombiner<Upsert, string?> _upserts;

    public CombinedReminderTable(IReminderTable orleans, NpgsqlDataSource database, IOptions<ClusterOptions> cluster)
    {
        _orleans = orleans;
        _database = database;
        _serviceId = cluster.Value.ServiceId;
        _upserts = new(
            WriteAsync,
            exception => exception is PostgresException { IsTransient: false },
            writesInFlight: 1,
            new(u => u.Key, _ => 1, UpsertsPerWrite));
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _orleans.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _orleans.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => _orleans.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => _orleans.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => _orleans.ReadRow(grainId, reminderName);

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        var grainId = entry.GrainId.ToString();
        var startAt = entry.StartAt.Kind switch
        {
            DateTimeKind.Utc => entry.StartAt,
            DateTimeKind.Local => entry.StartAt.ToUniversalTime(),
            // Orleans' own table reads an unspecified time as UTC.
            _ => DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc),
        };
        var upsert = new Upsert($"{grainId}\n{entry.ReminderName}", grainId, entry.ReminderName, unchecked((int)entry.GrainId.GetUniformHashCode()), startAt, (long)entry.Period.TotalMilliseconds);
        return _upserts.WriteAsync(upsert, CancellationToken.None);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => _orleans.RemoveRow(grainId, reminderName, eTag);

    public Task TestOnlyClearTable() => _orleans.TestOnlyClearTable();

    private async Task<IReadOnlyList<string?>> WriteAsync(IReadOnlyList<Upsert> upserts)
    {
        await using var command = _database.CreateCommand(UpsertSql);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.GrainId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.ReminderName).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.GrainHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.StartAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.PeriodMs).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        var versions = new Dictionary<string, string>(upserts.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                versions[$"{reader.GetString(0)}\n{reader.GetString(1)}"] = reader.GetInt32(2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return [.. upserts.Select(u => versions[u.Key])];
    }

    /// <summary>
    /// One registration; <see cref="Key"/> names its reminder. A write holds one registration a key, so the versions
    /// it returns map back by key; were two reminders ever to share one (a line break in a grain key), they would only
    /// go in separate writes.
    /// </summary>
    private sealed record Upsert(string Key, string GrainId, string ReminderName, int GrainHash, DateTime StartAt, long PeriodMs);
}
