using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace TikTokAds.Runtime.Storage;

/// <summary>Grain state in the grain_state table; the version column is the ETag.</summary>
public sealed class PostgresGrainStorage(NpgsqlDataSource dataSource) : IGrainStorage
{
    public async Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT payload::text, version FROM grain_state
            WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3
            """);
        AddKey(command, grainId, stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new StoredState(reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
    }

    public async Task<string> WriteAsync(GrainId grainId, string stateName, string json, string? expectedEtag, CancellationToken cancellationToken)
    {
        await using var command = expectedEtag is null
            ? dataSource.CreateCommand("""
                INSERT INTO grain_state (grain_type, grain_key, state_name, payload, version, updated_at)
                VALUES ($1, $2, $3, $4, 1, now())
                ON CONFLICT DO NOTHING
                RETURNING version
                """)
            : dataSource.CreateCommand("""
                UPDATE grain_state SET payload = $4, version = version + 1, updated_at = now()
                WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $5
                RETURNING version
                """);
        AddKey(command, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (expectedEtag is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ParseEtag(expectedEtag) });
        }
        var version = await command.ExecuteScalarAsync(cancellationToken);
        return version is long v
            ? v.ToString(CultureInfo.InvariantCulture)
            : throw InMemoryGrainStorage.Conflict(grainId, stateName, expectedEtag);
    }

    public async Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        if (expectedEtag is null)
        {
            if (await ReadAsync(grainId, stateName, cancellationToken) is not null)
            {
                throw InMemoryGrainStorage.Conflict(grainId, stateName, expectedEtag);
            }
            return;
        }
        await using var command = dataSource.CreateCommand("""
            DELETE FROM grain_state
            WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $4
            """);
        AddKey(command, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter { Value = ParseEtag(expectedEtag) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw InMemoryGrainStorage.Conflict(grainId, stateName, expectedEtag);
        }
    }

    private static void AddKey(NpgsqlCommand command, GrainId grainId, string stateName)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
    }

    private static long ParseEtag(string etag)
        => long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InconsistentStateException($"'{etag}' is not an ETag this storage issued.");
}
