using Npgsql;
using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>leads and lead_deliveries in PostgreSQL.</summary>
public sealed class PostgresLeadStore(NpgsqlDataSource dataSource) : ILeadStore
{
    private const string Columns = """
        organizer_id, lead_id, advertiser_id, page_id, form_name, ad_id, ad_name, campaign_id, campaign_name, adgroup_id, adgroup_name,
        source, created_at, received_at, status, reason, attempts, next_attempt_at, forwarded_at, last_error, protected_fields,
        field_names, phone_sha256, email_sha256
        """;

    public async Task<bool> InsertAsync(LeadRecord l, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO leads ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
            ON CONFLICT (organizer_id, lead_id) DO NOTHING
            """);
        Add(command, l.OrganizerId, l.LeadId, l.AdvertiserId, l.PageId, l.FormName, l.AdId, l.AdName, l.CampaignId, l.CampaignName, l.AdgroupId, l.AdgroupName,
            l.Source, l.CreatedAt, l.ReceivedAt, l.Status, l.Reason, l.Attempts, l.NextAttemptAt, l.ForwardedAt, l.LastError, l.ProtectedFields,
            l.FieldNames.ToArray(), l.PhoneSha256, l.EmailSha256);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<LeadRecord?> GetAsync(string organizerId, string leadId, CancellationToken cancellationToken)
        => (await QueryAsync($"SELECT {Columns} FROM leads WHERE organizer_id = $1 AND lead_id = $2", cancellationToken, organizerId, leadId)).FirstOrDefault();

    public Task<IReadOnlyList<LeadRecord>> ListAsync(string organizerId, LeadQuery query, CancellationToken cancellationToken)
        => QueryAsync($"""
            SELECT {Columns} FROM leads
            WHERE organizer_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR page_id = $3) AND ($4::text IS NULL OR ad_id = $4)
            ORDER BY received_at DESC, lead_id DESC LIMIT $5
            """, cancellationToken, organizerId, query.Status, query.PageId, query.AdId, query.Limit);

    public async Task<bool> AnySinceAsync(string organizerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM leads WHERE organizer_id = $1 AND created_at >= $2)");
        Add(command, organizerId, since);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public Task<IReadOnlyList<LeadRecord>> MatchAsync(string organizerId, IReadOnlyCollection<string> hashes, DateTimeOffset since, CancellationToken cancellationToken)
        => QueryAsync($"""
            SELECT {Columns} FROM leads
            WHERE organizer_id = $1 AND created_at >= $2 AND (phone_sha256 = ANY($3) OR email_sha256 = ANY($3))
            ORDER BY created_at
            """, cancellationToken, organizerId, since, hashes.ToArray());

    public Task<IReadOnlyList<LeadRecord>> DueAsync(string organizerId, DateTimeOffset now, int limit, CancellationToken cancellationToken)
        => QueryAsync($"""
            SELECT {Columns} FROM leads
            WHERE organizer_id = $1 AND status = 'pending' AND next_attempt_at <= $2
            ORDER BY next_attempt_at LIMIT $3
            """, cancellationToken, organizerId, now, limit);

    public async Task<DateTimeOffset?> NextDueAsync(string organizerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT min(next_attempt_at) FROM leads WHERE organizer_id = $1 AND status = 'pending'");
        Add(command, organizerId);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    public async Task UpdateAsync(LeadRecord l, LeadDeliveryView? delivery, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("""
            UPDATE leads SET status = $3, reason = $4, attempts = $5, next_attempt_at = $6, forwarded_at = $7, last_error = $8,
                protected_fields = $9, form_name = $10
            WHERE organizer_id = $1 AND lead_id = $2
            """, l.OrganizerId, l.LeadId, l.Status, l.Reason, l.Attempts, l.NextAttemptAt, l.ForwardedAt, l.LastError, l.ProtectedFields, l.FormName));
        if (delivery is not null)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO lead_deliveries (organizer_id, lead_id, attempt, at, http_status, error, duration_ms)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                """, l.OrganizerId, l.LeadId, delivery.Attempt, delivery.At, delivery.HttpStatus, delivery.Error, delivery.DurationMs));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LeadDeliveryView>> DeliveriesAsync(string organizerId, string leadId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT attempt, at, http_status, error, duration_ms FROM lead_deliveries
            WHERE organizer_id = $1 AND lead_id = $2 ORDER BY attempt
            """);
        Add(command, organizerId, leadId);
        var deliveries = new List<LeadDeliveryView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(new LeadDeliveryView(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
        }
        return deliveries;
    }

    public async Task<IReadOnlyList<LeadFormCount>> CountByFormAsync(string organizerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(page_id, ''), max(form_name), count(*),
                count(*) FILTER (WHERE status = 'forwarded'), count(*) FILTER (WHERE status = 'pending'),
                count(*) FILTER (WHERE status = 'not_forwarded'), count(*) FILTER (WHERE status = 'failed')
            FROM leads WHERE organizer_id = $1 GROUP BY coalesce(page_id, '')
            """);
        Add(command, organizerId);
        var counts = new List<LeadFormCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new LeadFormCount(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }
        return counts;
    }

    public async Task<int> PurgeAnswersAsync(string organizerId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE leads SET protected_fields = NULL
            WHERE organizer_id = $1 AND protected_fields IS NOT NULL AND status <> 'pending' AND received_at < $2
            """);
        Add(command, organizerId, cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<LeadRecord>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        Add(command, parameters);
        var leads = new List<LeadRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leads.Add(new LeadRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6),
                Text(reader, 7), Text(reader, 8), Text(reader, 9), Text(reader, 10), reader.GetString(11),
                reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<DateTimeOffset>(13), reader.GetString(14), Text(reader, 15),
                reader.GetInt32(16), Time(reader, 17), Time(reader, 18), Text(reader, 19), Text(reader, 20),
                reader.GetFieldValue<string[]>(21), Text(reader, 22), Text(reader, 23)));
        }
        return leads;
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }
        return command;
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }
    }

    private static NpgsqlParameter Parameter(object? value) => value switch
    {
        null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown },
        _ => new NpgsqlParameter { Value = value },
    };
}
