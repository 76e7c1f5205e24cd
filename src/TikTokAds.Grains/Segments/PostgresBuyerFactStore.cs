using Npgsql;
using NpgsqlTypes;

namespace TikTokAds.Grains.Segments;

/// <summary>
/// buyer_facts in PostgreSQL. A request's facts are one binary COPY, or for a few one INSERT … SELECT FROM unnest(…);
/// either is plain unless a fact is already there (<see cref="InsertFirst"/>), which happens only when an append is
/// taken again after a failure; the write taken again is the statement with ON CONFLICT. Each write
/// taken again is counted in <paramref name="metrics"/>. A write of <paramref name="copyFrom"/> facts or more is
/// copied (<see cref="CopyAsync"/>), at the same threshold as the events' by default; a smaller one keeps the single
/// round trip of the statement.
/// </summary>
public sealed class PostgresBuyerFactStore(NpgsqlDataSource dataSource, DomainMetrics? metrics = null, int copyFrom = Events.PostgresEventStore.DefaultCopyFrom) : IBuyerFactStore
{
    /// <summary>The columns a fact fills, in the order both writes send them.</summary>
    private const string Columns = "organizer_id, pixel_id, event_name, event_id, event_time, email_sha256, phone_sha256, value, currency, content_ids, accepted_at";

    public async Task RecordAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken)
    {
        if (facts.Count == 0)
        {
            return;
        }
        await InsertFirst.RunAsync(async keepExisting =>
        {
            if (!keepExisting && facts.Count >= copyFrom)
            {
                return await CopyAsync(facts, cancellationToken);
            }
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(RecordCommand(facts, keepExisting));
            return await batch.ExecuteNonQueryAsync(cancellationToken);
        }, metrics, "buyer_facts");
    }

    private const string CopySql = $"""
        COPY buyer_facts ({Columns}) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// The facts by binary COPY, one statement and so one transaction: PostgreSQL fills a page several rows at a time
    /// and logs them as one WAL record, where the statement inserts and logs each row alone. Without ON CONFLICT: a
    /// fact already there is a unique violation, and none of them is stored. Rows go in several at a time only while
    /// the table has no row trigger or volatile default (PostgresEventStore.CopyEventsAsync).
    /// </summary>
    private async Task<int> CopyAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken)
    {
        // The token stops the write only before its first row: cancelling a COPY under way closes the connection, and
        // once the end of the data has gone out the facts may be committed all the same.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        return await CopyRowsAsync(importer, facts);
    }

    private static async Task<int> CopyRowsAsync(NpgsqlBinaryImporter importer, IReadOnlyList<BuyerFact> facts)
    {
        foreach (var fact in facts)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(fact.OrganizerId, NpgsqlDbType.Text);
            await importer.WriteAsync(fact.PixelId, NpgsqlDbType.Text);
            await importer.WriteAsync(fact.EventName, NpgsqlDbType.Text);
            await importer.WriteAsync(fact.EventId, NpgsqlDbType.Text);
            await importer.WriteAsync(fact.EventTime, NpgsqlDbType.TimestampTz);
            await importer.WriteOrNullAsync(fact.EmailSha256, NpgsqlDbType.Text);
            await importer.WriteOrNullAsync(fact.PhoneSha256, NpgsqlDbType.Text);
            await importer.WriteOrNullAsync(fact.Value, NpgsqlDbType.Numeric);
            await importer.WriteOrNullAsync(fact.Currency, NpgsqlDbType.Text);
            // Npgsql writes an array or an IList<T>, not an IReadOnlyList<T>; facts read from an event carry an array.
            await importer.WriteAsync(fact.ContentIds as string[] ?? [.. fact.ContentIds], NpgsqlDbType.Array | NpgsqlDbType.Text);
            await importer.WriteAsync(fact.AcceptedAt, NpgsqlDbType.TimestampTz);
        }
        return (int)await importer.CompleteAsync();
    }

    private const string RecordSql = $$"""
        INSERT INTO buyer_facts ({{Columns}})
        SELECT f.organizer, f.pixel, f.name, f.id, f.at, f.email, f.phone, f.value, f.currency,
               CASE WHEN f.contents = 0 THEN '{}'::text[] ELSE ($12::text[])[f.first:f.first + f.contents - 1] END, f.accepted
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::numeric[], $9::text[], $10::int[], $11::timestamptz[], $13::int[])
            AS f(organizer, pixel, name, id, at, email, phone, value, currency, contents, accepted, first)
        """;

    private const string RecordKeepingSql = $"{RecordSql} ON CONFLICT (organizer_id, pixel_id, event_name, event_id) DO NOTHING";

    /// <summary>
    /// The insert of <paramref name="facts"/>, for a batch that writes them with their events in one round trip. With
    /// <paramref name="keepExisting"/> a fact already there is kept; without it, it is a unique violation.
    /// </summary>
    internal static NpgsqlBatchCommand RecordCommand(IReadOnlyList<BuyerFact> facts, bool keepExisting)
    {
        // unnest cannot take a ragged array: all the facts' content ids travel as one array ($12), and each fact as its
        // count of them ($10) and the 1-based index of its first ($13), sliced out again in SQL.
        var (counts, all, firsts) = (new int[facts.Count], new List<string>(), new int[facts.Count]);
        for (var i = 0; i < facts.Count; i++)
        {
            (counts[i], firsts[i]) = (facts[i].ContentIds.Count, all.Count + 1);
            all.AddRange(facts[i].ContentIds);
        }
        var command = new NpgsqlBatchCommand(keepExisting ? RecordKeepingSql : RecordSql);
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.OrganizerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.PixelId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.EventName).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.EventTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.EmailSha256).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.PhoneSha256).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.Currency).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = counts });
        command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.AcceptedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = all, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = firsts });
        return command;
    }

    public async Task<IReadOnlyList<BuyerFact>> QueryAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT pixel_id, event_name, event_id, event_time, email_sha256, phone_sha256, value, currency, content_ids, accepted_at
            FROM buyer_facts WHERE organizer_id = $1 AND event_name = ANY($2) AND event_time >= $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = organizerId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventNames.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        var facts = new List<BuyerFact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new BuyerFact(
                organizerId, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<string[]>(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return facts;
    }

    public async Task<IReadOnlyList<BuyerTotal>> BuyerTotalsAsync(string organizerId, Contracts.Segments.SegmentDefinition definition, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // A buyer is the hashed email, or the hashed phone when an event has none (as SegmentRule.Totals).
        await using var command = dataSource.CreateCommand("""
            SELECT max(email_sha256), coalesce(array_agg(DISTINCT phone_sha256) FILTER (WHERE phone_sha256 IS NOT NULL), '{}'),
                   count(*)::int, coalesce(sum(value) FILTER (WHERE currency = $5), 0)
            FROM buyer_facts
            WHERE organizer_id = $1 AND event_name = ANY($2) AND event_time >= $3 AND (cardinality($4::text[]) = 0 OR content_ids && $4::text[])
            GROUP BY coalesce(email_sha256, phone_sha256)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = organizerId });
        command.Parameters.Add(new NpgsqlParameter { Value = definition.EventNames.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        command.Parameters.Add(new NpgsqlParameter { Value = definition.ContentIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)definition.Currency?.ToUpperInvariant() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var totals = new List<BuyerTotal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals.Add(new BuyerTotal(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetInt32(2), reader.GetDecimal(3)));
        }
        return totals;
    }

    public async Task<long> DeleteOrganizerAsync(string organizerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM buyer_facts WHERE organizer_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = organizerId });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> PurgeAsync(DateTimeOffset defaultCutoff, IReadOnlyDictionary<string, DateTimeOffset> overrides, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM buyer_facts WHERE event_time < $1 AND organizer_id <> ALL($2)")
        {
            Parameters = { new NpgsqlParameter { Value = defaultCutoff }, new NpgsqlParameter { Value = overrides.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } },
        });
        foreach (var (organizerId, cutoff) in overrides)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM buyer_facts WHERE organizer_id = $1 AND event_time < $2")
            {
                Parameters = { new NpgsqlParameter { Value = organizerId }, new NpgsqlParameter { Value = cutoff } },
            });
        }
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
