using Npgsql;
using NpgsqlTypes;

namespace TikTokAds.Grains.Segments;

/// <summary>
/// Buyer facts in PostgreSQL: recorded packed, one buyer_fact_packs row per organizer in a write (<see cref="BuyerFactPack"/>,
/// sql/0021), and read from those packs and from buyer_facts, where facts recorded before that script stay until
/// retention empties it. The event store packs a fact only with its event's first insert; a fact recorded again all
/// the same (by <see cref="RecordAsync"/>, or by an older node into buyer_facts during a rolling upgrade) is read once:
/// for each (pixel, event name, event id), the first one read, buyer_facts' before the packs', packs in id order.
/// </summary>
public sealed class PostgresBuyerFactStore(NpgsqlDataSource dataSource) : IBuyerFactStore
{
    public async Task RecordAsync(IReadOnlyList<BuyerFact> facts, CancellationToken cancellationToken)
    {
        if (PackCommand(facts) is not { } command)
        {
            return;
        }
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string PackSql = """
        INSERT INTO buyer_fact_packs (organizer_id, first_event_time, last_event_time, facts, packed)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int[], $5::bytea[])
        """;

    /// <summary>
    /// The insert of <paramref name="facts"/> as one pack per organizer, for a write that stores them in its events'
    /// transaction; null when no fact counts (<see cref="BuyerFactPack.Counts"/>).
    /// </summary>
    internal static NpgsqlBatchCommand? PackCommand(IReadOnlyList<BuyerFact> facts)
    {
        var byOrganizer = new Dictionary<string, List<BuyerFact>>(StringComparer.Ordinal);
        foreach (var fact in facts)
        {
            if (!BuyerFactPack.Counts(fact))
            {
                continue;
            }
            if (!byOrganizer.TryGetValue(fact.OrganizerId, out var list))
            {
                byOrganizer[fact.OrganizerId] = list = [];
            }
            list.Add(fact);
        }
        if (byOrganizer.Count == 0)
        {
            return null;
        }
        var (organizers, firsts, lasts, counts, packs) = (new string[byOrganizer.Count], new DateTimeOffset[byOrganizer.Count],
            new DateTimeOffset[byOrganizer.Count], new int[byOrganizer.Count], new byte[byOrganizer.Count][]);
        var i = 0;
        foreach (var (organizerId, list) in byOrganizer)
        {
            (organizers[i], counts[i], packs[i]) = (organizerId, list.Count, BuyerFactPack.Pack(list));
            (firsts[i], lasts[i]) = (list.Min(f => f.EventTime), list.Max(f => f.EventTime));
            i++;
        }
        var command = new NpgsqlBatchCommand(PackSql);
        command.Parameters.Add(new NpgsqlParameter { Value = organizers });
        command.Parameters.Add(new NpgsqlParameter { Value = firsts });
        command.Parameters.Add(new NpgsqlParameter { Value = lasts });
        command.Parameters.Add(new NpgsqlParameter { Value = counts });
        command.Parameters.Add(new NpgsqlParameter { Value = packs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return command;
    }

    public async Task<IReadOnlyList<BuyerFact>> QueryAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var facts = new List<BuyerFact>();
        await foreach (var fact in FactsAsync(organizerId, eventNames, since, cancellationToken))
        {
            facts.Add(fact);
        }
        return facts;
    }

    /// <summary>
    /// Per buyer, as <see cref="SegmentRule.Totals"/> counts them, without holding the facts: an organizer's facts over a
    /// year's lookback may be millions, where its buyers and the keys of its facts fit in memory.
    /// </summary>
    public async Task<IReadOnlyList<BuyerTotal>> BuyerTotalsAsync(string organizerId, Contracts.Segments.SegmentDefinition definition, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // The bound as PostgreSQL takes it, whole microseconds, as every fact read is.
        var tally = new BuyerTally(definition, WholeMicroseconds(since));
        await foreach (var fact in FactsAsync(organizerId, definition.EventNames, since, cancellationToken))
        {
            tally.Add(fact);
        }
        return tally.Totals();
    }

    /// <summary>
    /// The organizer's facts of these event names with event_time at or after <paramref name="since"/>, each (pixel, event
    /// name, event id) once: buyer_facts' rows (recorded before any pack, on this build), then the packs in the order
    /// they were stored. Both are read as they stream, not held.
    /// </summary>
    private async IAsyncEnumerable<BuyerFact> FactsAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<(string, string, string)>();
        await foreach (var fact in LegacyFactsAsync(organizerId, eventNames, since, cancellationToken))
        {
            if (seen.Add((fact.PixelId, fact.EventName, fact.EventId)))
            {
                yield return fact;
            }
        }
        var names = eventNames.ToHashSet(StringComparer.Ordinal);
        // Packed times are whole microseconds, as PostgreSQL's; so is the bound, as PostgreSQL would take it.
        since = WholeMicroseconds(since);
        await using var command = dataSource.CreateCommand("SELECT packed FROM buyer_fact_packs WHERE organizer_id = $1 AND last_event_time >= $2 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = organizerId });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            foreach (var fact in BuyerFactPack.Unpack(organizerId, reader.GetFieldValue<byte[]>(0)))
            {
                if (fact.EventTime >= since && names.Contains(fact.EventName) && seen.Add((fact.PixelId, fact.EventName, fact.EventId)))
                {
                    yield return fact;
                }
            }
        }
    }

    private async IAsyncEnumerable<BuyerFact> LegacyFactsAsync(string organizerId, IReadOnlyList<string> eventNames, DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT pixel_id, event_name, event_id, event_time, email_sha256, phone_sha256, value, currency, content_ids, accepted_at
            FROM buyer_facts WHERE organizer_id = $1 AND event_name = ANY($2) AND event_time >= $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = organizerId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventNames.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new BuyerFact(
                organizerId, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<string[]>(8), reader.GetFieldValue<DateTimeOffset>(9));
        }
    }

    public async Task<long> DeleteOrganizerAsync(string organizerId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("WITH d AS (DELETE FROM buyer_facts WHERE organizer_id = $1 RETURNING 1) SELECT count(*) FROM d")
        {
            Parameters = { new NpgsqlParameter { Value = organizerId } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("WITH d AS (DELETE FROM buyer_fact_packs WHERE organizer_id = $1 RETURNING facts) SELECT coalesce(sum(facts), 0)::bigint FROM d")
        {
            Parameters = { new NpgsqlParameter { Value = organizerId } },
        });
        return await SumAsync(batch, cancellationToken);
    }

    /// <summary>
    /// Facts past each organizer's cut-off: buyer_facts' rows, the packs whose newest fact is past it, and in the packs
    /// that straddle it, the facts past it (each such pack is written again without them, or deleted when none is left).
    /// Two purges at once skip each other's straddling packs.
    /// </summary>
    public async Task<long> PurgeAsync(DateTimeOffset defaultCutoff, IReadOnlyDictionary<string, DateTimeOffset> overrides, CancellationToken cancellationToken)
    {
        var excepted = overrides.Keys.ToArray();
        long purged;
        await using (var batch = dataSource.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("WITH d AS (DELETE FROM buyer_facts WHERE event_time < $1 AND organizer_id <> ALL($2) RETURNING 1) SELECT count(*) FROM d")
            {
                Parameters = { new NpgsqlParameter { Value = defaultCutoff }, new NpgsqlParameter { Value = excepted, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("WITH d AS (DELETE FROM buyer_fact_packs WHERE last_event_time < $1 AND organizer_id <> ALL($2) RETURNING facts) SELECT coalesce(sum(facts), 0)::bigint FROM d")
            {
                Parameters = { new NpgsqlParameter { Value = defaultCutoff }, new NpgsqlParameter { Value = excepted, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } },
            });
            foreach (var (organizerId, cutoff) in overrides)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("WITH d AS (DELETE FROM buyer_facts WHERE organizer_id = $1 AND event_time < $2 RETURNING 1) SELECT count(*) FROM d")
                {
                    Parameters = { new NpgsqlParameter { Value = organizerId }, new NpgsqlParameter { Value = cutoff } },
                });
                batch.BatchCommands.Add(new NpgsqlBatchCommand("WITH d AS (DELETE FROM buyer_fact_packs WHERE organizer_id = $1 AND last_event_time < $2 RETURNING facts) SELECT coalesce(sum(facts), 0)::bigint FROM d")
                {
                    Parameters = { new NpgsqlParameter { Value = organizerId }, new NpgsqlParameter { Value = cutoff } },
                });
            }
            purged = await SumAsync(batch, cancellationToken);
        }
        return purged + await TrimStraddlingAsync(defaultCutoff, overrides, cancellationToken);
    }

    /// <summary>The packs with facts either side of their organizer's cut-off, written again with only the facts inside it.</summary>
    private async Task<long> TrimStraddlingAsync(DateTimeOffset defaultCutoff, IReadOnlyDictionary<string, DateTimeOffset> overrides, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var straddling = new List<(string OrganizerId, long Id, DateTimeOffset Cutoff, byte[] Packed)>();
        await using (var select = new NpgsqlCommand("""
            SELECT p.organizer_id, p.id, c.cutoff, p.packed
            FROM buyer_fact_packs p
            CROSS JOIN LATERAL (SELECT coalesce((SELECT o.cutoff FROM unnest($2::text[], $3::timestamptz[]) AS o(organizer_id, cutoff) WHERE o.organizer_id = p.organizer_id), $1) AS cutoff) c
            WHERE p.first_event_time < c.cutoff AND p.last_event_time >= c.cutoff
            FOR UPDATE OF p SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = defaultCutoff });
            select.Parameters.Add(new NpgsqlParameter { Value = overrides.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            select.Parameters.Add(new NpgsqlParameter { Value = overrides.Values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                straddling.Add((reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<byte[]>(3)));
            }
        }
        long trimmed = 0;
        foreach (var (organizerId, id, cutoff, packed) in straddling)
        {
            var facts = BuyerFactPack.Unpack(organizerId, packed);
            var kept = facts.Where(f => f.EventTime >= cutoff).ToList();
            trimmed += facts.Count - kept.Count;
            await using var rewrite = new NpgsqlCommand(
                "UPDATE buyer_fact_packs SET first_event_time = $3, facts = $4, packed = $5 WHERE organizer_id = $1 AND id = $2", connection, transaction);
            rewrite.Parameters.Add(new NpgsqlParameter { Value = organizerId });
            rewrite.Parameters.Add(new NpgsqlParameter { Value = id });
            rewrite.Parameters.Add(new NpgsqlParameter { Value = kept.Min(f => f.EventTime) });
            rewrite.Parameters.Add(new NpgsqlParameter { Value = kept.Count });
            rewrite.Parameters.Add(new NpgsqlParameter { Value = BuyerFactPack.Pack(kept) });
            await rewrite.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return trimmed;
    }

    private static async Task<long> SumAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        long sum = 0;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                sum += reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
        return sum;
    }

    private static DateTimeOffset WholeMicroseconds(DateTimeOffset time) => time.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerMicrosecond));
}
