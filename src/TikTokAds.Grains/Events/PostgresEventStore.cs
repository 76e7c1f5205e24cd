using Npgsql;
using NpgsqlTypes;
using TikTokAds.Grains.Assurance;
using TikTokAds.Grains.Segments;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Events;

/// <summary>
/// pixel_events in PostgreSQL. Appends go through an <see cref="AppendCombiner"/>: concurrent appends on this node
/// (of different pixels, or of one pixel when no event is in two of them) share one write (a binary COPY, or for a
/// few events INSERT … SELECT FROM unnest(…)) and one commit. Writes taken again with ON CONFLICT
/// (<see cref="InsertFirst"/>) are counted in <paramref name="metrics"/>.
/// </summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource, int writesInFlight = PixelOptions.DefaultStoreWritesInFlight, DomainMetrics? metrics = null, int copyFrom = PostgresEventStore.DefaultCopyFrom) : IEventStore
{
    /// <summary>
    /// A part of a write with this many events or more goes into pixel_events by binary COPY (<see cref="CopyEventsAsync"/>)
    /// instead of INSERT … SELECT FROM unnest(…). A smaller part keeps the single round trip of the statement.
    /// </summary>
    public const int DefaultCopyFrom = 200;

    /// <summary>
    /// Whether an 'accepted' row of pixel_events (as e) still waits: a delivered event is not rewritten, its pending
    /// row is deleted (sql/0017). Rows settled before that script read 'delivered' themselves.
    /// </summary>
    private const string StillWaiting = "EXISTS (SELECT 1 FROM pixel_pending p WHERE p.pixel_key = e.pixel_key AND p.seq = e.seq)";

    /// <summary>Whether a row of pixel_events (as e) is delivered, in either form.</summary>
    private const string IsDelivered = $"(e.status = 'delivered' OR (e.status = 'accepted' AND NOT {StillWaiting}))";

    /// <summary>
    /// An event's record, from pixel_events (as e): an 'accepted' row no longer waiting reads as delivered, with the
    /// request_id of the successful request that carried it and the time its settle ran. That request is the one
    /// with the highest first seq not above the event's among those whose seqs hold it, found on
    /// pixel_requests_by_first_seq in a step or two (sql/0017).
    /// </summary>
    private const string RecordFrom = $"""
        SELECT e.event_name, e.event_id, e.event_source, CASE WHEN w.settled THEN 'delivered' ELSE e.status END, e.reason, e.accepted_at,
               CASE WHEN w.settled THEN d.settled_at ELSE e.delivered_at END, e.failed_at, CASE WHEN w.settled THEN d.request_id ELSE e.request_id END,
               CASE WHEN w.settled THEN 0 ELSE e.code END, CASE WHEN w.settled THEN 'OK' ELSE e.message END, e.attempts + w.settled::int, e.trace_id
        FROM pixel_events e
        CROSS JOIN LATERAL (SELECT e.status = 'accepted' AND NOT {StillWaiting} AS settled) w
        LEFT JOIN LATERAL (
            SELECT coalesce(r.settled_at, r.sent_at) AS settled_at, r.request_id FROM pixel_requests r
            WHERE w.settled AND r.pixel_key = e.pixel_key AND r.outcome = 'success' AND r.first_seq <= e.seq AND r.last_seq >= e.seq AND e.seq = ANY(r.seqs)
            ORDER BY r.first_seq DESC LIMIT 1) d ON true
        """;

    private readonly AppendCombiner _appends = new(
        requests => WriteAppendsAsync(dataSource, metrics, requests, copyFrom),
        exception => exception is PostgresException { IsTransient: false },
        writesInFlight);

    /// <summary>Settles of accepted requests, several pixels' in one transaction (<see cref="WriteSettlesAsync"/>).</summary>
    private readonly WriteCombiner<SettleRequest, bool> _settles = new(
        settles => WriteSettlesAsync(dataSource, settles),
        exception => exception is PostgresException { IsTransient: false },
        writesInFlight,
        new(s => s.PixelKey, s => s.Request.Seqs.Count, SettleRowsPerWrite));

    private const int SettleRowsPerWrite = 5000;

    private sealed record SettleRequest(string PixelKey, SentRequest Request, DateTimeOffset Now);

    public Task<IReadOnlyList<long?>> AppendAsync(string pixelKey, IReadOnlyList<NewEvent> events, IReadOnlyList<BuyerFact> facts, DateTimeOffset now, TimeSpan dedupWindow, CancellationToken cancellationToken)
        => _appends.AppendAsync(new AppendRequest(pixelKey, events, facts, now, dedupWindow), cancellationToken);

    /// <summary>
    /// A write with this many events or more stores them in two statements of half as many, each in a transaction of
    /// its own on its own connection, at the same time. A 1,000-event statement held one backend while a core stood
    /// idle (docs/BENCHMARKS.md, fifteenth pass, when a pixel's appends still ran one after another).
    /// </summary>
    public const int SplitFrom = 1000;

    /// <summary>
    /// Several appends (all with the same dedup window; a pixel's several only when no event is in two of them): their
    /// events in one write (from <paramref name="copyFrom"/> events a binary COPY, below it one INSERT … SELECT FROM
    /// unnest(…)), and the buyer facts of the events it stores packed, a row per organizer, in the same transaction. From
    /// <see cref="SplitFrom"/> events on, the events go in two halves, each with its events' facts in a transaction of
    /// its own on its own connection, at the same time. Everything has committed before any append returns. If
    /// anything fails the append fails: the caller's retry is answered as a duplicate for what was stored, and packs
    /// the facts of what it stores. A fact is packed only with its event's first insert, so none is packed twice.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">Part of the write was stored and part was not.</exception>
    private static async Task<IReadOnlyList<IReadOnlyList<long?>>> WriteAppendsAsync(NpgsqlDataSource dataSource, DomainMetrics? metrics, IReadOnlyList<AppendRequest> requests, int copyFrom)
    {
        var rows = requests.Sum(r => r.Events.Count);
        Dictionary<(string, string, string), long> seqs;
        if (rows < SplitFrom)
        {
            seqs = await WriteEventsAsync(dataSource, metrics, requests, copyFrom);
        }
        else
        {
            // Each part on its own thread: a part's parameters are written before its first wait, and the others
            // should not wait for that.
            var stored = Halves(requests, rows).Select(part => Task.Run(() => WriteEventsAsync(dataSource, metrics, part, copyFrom))).ToArray();
            try
            {
                await Task.WhenAll(stored);
            }
            catch (PostgresException exception) when (stored.Any(s => s.IsCompletedSuccessfully))
            {
                // Part is stored, even when the other part's failure is a value the database refused: taken again
                // alone, each append would find its own stored events and hear them answered as duplicates. The callers
                // retry instead, as after any outage.
                throw new ServiceUnavailableException("Part of the write was stored and part was not; a retry stores the rest.", exception);
            }
            seqs = stored[0].Result;
            foreach (var part in stored.Skip(1))
            {
                foreach (var (key, seq) in part.Result)
                {
                    seqs[key] = seq;
                }
            }
        }
        return [.. requests.Select(r => (IReadOnlyList<long?>)[.. r.Events.Select(e => seqs.TryGetValue((r.PixelKey, e.EventName, e.EventId), out var seq) ? seq : (long?)null)])];
    }

    /// <summary>
    /// The appends' events in two parts of about <paramref name="rows"/> / 2 each; an append may straddle them, and its
    /// facts then go with their events' part.
    /// </summary>
    private static IReadOnlyList<AppendRequest>[] Halves(IReadOnlyList<AppendRequest> requests, int rows)
    {
        List<AppendRequest>[] halves = [[], []];
        var left = rows / 2;
        foreach (var request in requests)
        {
            var first = Math.Clamp(left, 0, request.Events.Count);
            if (first == request.Events.Count)
            {
                halves[0].Add(request);
            }
            else if (first == 0)
            {
                halves[1].Add(request);
            }
            else
            {
                var firstEvents = request.Events.Take(first).ToArray();
                var inFirst = firstEvents.Select(e => (e.EventName, e.EventId)).ToHashSet();
                halves[0].Add(request with { Events = firstEvents, Facts = [.. request.Facts.Where(f => inFirst.Contains((f.EventName, f.EventId)))] });
                halves[1].Add(request with { Events = request.Events.Skip(first).ToArray(), Facts = [.. request.Facts.Where(f => !inFirst.Contains((f.EventName, f.EventId)))] });
            }
            left -= first;
        }
        return halves;
    }

    /// <summary>The events into pixel_events, the start of <see cref="StoreNewSql"/> and <see cref="StoreOrTakeOverSql"/>.</summary>
    private const string InsertSql = """
        WITH stored AS (
        INSERT INTO pixel_events (pixel_key, event_name, event_id, event_source, test_event_code, payload, status, reason, accepted_at, trace_id)
        SELECT e.pixel, e.name, e.id, e.source, e.test, e.payload, e.status, e.reason, e.accepted, e.trace
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::timestamptz[], $10::text[])
            AS e(pixel, name, id, source, test, payload, status, reason, accepted, trace)
        """;

    /// <summary>
    /// Stored rows come back, and those 'accepted' join pixel_pending in the same statement (sql/0014). inserted is
    /// false for a row taken over (ON CONFLICT … DO UPDATE leaves xmax set).
    /// </summary>
    private const string StoredSql = """
        RETURNING pixel_key, event_name, event_id, seq, status, xmax = 0 AS inserted
        ), waiting AS (
            INSERT INTO pixel_pending (pixel_key, seq) SELECT pixel_key, seq FROM stored WHERE status = 'accepted'
        )
        """;

    private const string AnswerSql = "SELECT pixel_key, event_name, event_id, seq FROM stored";

    /// <summary>
    /// The buyer facts of the events the statement inserted (not those it found or took over: their fact was packed
    /// with their first insert), packed a row per organizer: the pack's header ($n+6) and its facts' pieces in order
    /// (<see cref="BuyerFactPack.Piece"/>). Parameters from $n: each fact's pixel key, event name and id, organizer,
    /// event_time and piece.
    /// </summary>
    private static string PackStoredSql(int n) => $"""
        , packed AS (
            INSERT INTO buyer_fact_packs (organizer_id, first_event_time, last_event_time, facts, packed)
            SELECT f.organizer, min(f.at), max(f.at), count(*)::int, ${n + 6}::bytea || string_agg(f.piece, ''::bytea ORDER BY f.ord)
            FROM unnest(${n}::text[], ${n + 1}::text[], ${n + 2}::text[], ${n + 3}::text[], ${n + 4}::timestamptz[], ${n + 5}::bytea[])
                WITH ORDINALITY AS f(pixel, name, id, organizer, at, piece, ord)
            JOIN stored s ON s.pixel_key = f.pixel AND s.event_name = f.name AND s.event_id = f.id AND s.inserted
            GROUP BY f.organizer
        )
        """;

    /// <summary>Without ON CONFLICT (<see cref="InsertFirst"/>): a key already there is a unique violation.</summary>
    private const string StoreNewSql = $"""
        {InsertSql}
        {StoredSql}
        """;

    /// <summary>
    /// A conflicting row within the window ($11) is left alone (a duplicate: no row comes back); an older one is taken
    /// over, as TikTok would accept the pair again. excluded.accepted_at is the time its own append was taken.
    /// </summary>
    private const string StoreOrTakeOverSql = $"""
        {InsertSql}
        ON CONFLICT (pixel_key, event_name, event_id) DO UPDATE SET
            event_source = excluded.event_source, test_event_code = excluded.test_event_code, payload = excluded.payload,
            status = excluded.status, reason = excluded.reason, accepted_at = excluded.accepted_at, trace_id = excluded.trace_id, delivered_at = NULL,
            failed_at = NULL, request_id = NULL, code = NULL, message = NULL, attempts = 0, seq = nextval(pg_get_serial_sequence('pixel_events', 'seq'))
        WHERE pixel_events.accepted_at < excluded.accepted_at - $11
        {StoredSql}
        """;

    /// <summary>The statement for a write: with ON CONFLICT or without, and with the facts' pack or without.</summary>
    private static readonly string[] StoreSql =
    [
        $"{StoreNewSql}\n{AnswerSql}",
        $"{StoreNewSql}{PackStoredSql(11)}\n{AnswerSql}",
        $"{StoreOrTakeOverSql}\n{AnswerSql}",
        $"{StoreOrTakeOverSql}{PackStoredSql(12)}\n{AnswerSql}",
    ];

    /// <summary>
    /// The events, and the buyer facts of those stored packed in the same transaction: as plain inserts, and again with
    /// ON CONFLICT when an event was there already (a duplicate, or a pair taken over after its window).
    /// </summary>
    /// <remarks>
    /// From <paramref name="copyFrom"/> events on, the first try copies them (<see cref="CopyEventsAsync"/>); the
    /// write taken again after a unique violation is always the statement with ON CONFLICT.
    /// </remarks>
    private static Task<Dictionary<(string, string, string), long>> WriteEventsAsync(NpgsqlDataSource dataSource, DomainMetrics? metrics, IReadOnlyList<AppendRequest> requests, int copyFrom)
    {
        var rows = requests.Sum(r => r.Events.Count);
        return InsertFirst.RunAsync(
            resolveConflicts => !resolveConflicts && rows >= copyFrom ? CopyEventsAsync(dataSource, requests, rows) : WriteEventsAsync(dataSource, requests, resolveConflicts),
            metrics,
            "pixel_events");
    }

    /// <summary>The next <c>$1</c> values of pixel_events' seq, one per row; the sequence is looked up once.</summary>
    private const string NextSeqsSql = "SELECT nextval((SELECT pg_get_serial_sequence('pixel_events', 'seq')::regclass)) FROM generate_series(1, $1)";

    private const string CopyEventsSql = """
        COPY pixel_events (pixel_key, event_name, event_id, seq, event_source, test_event_code, payload, status, reason, accepted_at, trace_id)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string InsertPendingSql = "INSERT INTO pixel_pending (pixel_key, seq) SELECT * FROM unnest($1::text[], $2::bigint[])";

    /// <summary>
    /// The events by binary COPY, in one transaction with their pixel_pending rows and their buyer facts' packs. COPY
    /// returns no rows, so the seqs are drawn from the sequence first, in ascending order as the events come, and
    /// written with the rows. PostgreSQL copies rows into a page several at a time and logs them as one WAL record;
    /// INSERT … SELECT FROM unnest(…) inserts and logs each row alone, and returns each through its CTE.
    /// Without ON CONFLICT: a key already there is a unique violation, and the whole transaction rolls back.
    /// </summary>
    /// <remarks>
    /// PostgreSQL copies several rows at a time only while the table has no row trigger and no column the COPY leaves
    /// out has a volatile default (a sequence's nextval is allowed). A migration that adds either to pixel_events turns
    /// the COPY back into one row at a time, and loses what it saves.
    /// </remarks>
    private static async Task<Dictionary<(string, string, string), long>> CopyEventsAsync(NpgsqlDataSource dataSource, IReadOnlyList<AppendRequest> requests, int rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var drawn = new long[rows];
        await using (var next = new NpgsqlCommand(NextSeqsSql, connection, transaction))
        {
            next.Parameters.Add(new NpgsqlParameter { Value = rows });
            await using var reader = await next.ExecuteReaderAsync();
            for (var i = 0; await reader.ReadAsync(); i++)
            {
                drawn[i] = reader.GetInt64(0);
            }
        }
        Array.Sort(drawn);
        var seqs = new Dictionary<(string, string, string), long>(rows);
        var (waitingPixels, waitingSeqs) = (new List<string>(rows), new List<long>(rows));
        // Not `await using`: disposing a raw COPY stream always ends the COPY with CopyDone, which would store the
        // whole rows sent so far. A failure here cancels the COPY instead, and its own error is the one that comes out:
        // not the cancel's, and not one PostgreSQL would give for the cut-short rows (a unique violation would send
        // InsertFirst into a retry). A server error on complete rows comes from the dispose, after the try.
        var copy = await connection.BeginRawBinaryCopyAsync(CopyEventsSql);
        using (var encoded = new BinaryCopyRows())
        {
            try
            {
                var row = 0;
                foreach (var request in requests)
                {
                    foreach (var e in request.Events)
                    {
                        var seq = drawn[row++];
                        encoded.StartRow(11);
                        encoded.Text(request.PixelKey);
                        encoded.Text(e.EventName);
                        encoded.Text(e.EventId);
                        encoded.Bigint(seq);
                        encoded.Text(e.EventSource);
                        encoded.TextOrNull(e.TestEventCode);
                        encoded.Jsonb(e.Payload.Utf8.Span);
                        encoded.Text(e.Status);
                        encoded.TextOrNull(e.Reason);
                        encoded.TimestampTz(request.Now);
                        encoded.TextOrNull(e.TraceId);
                        await encoded.SendIfFullAsync(copy);
                        seqs[(request.PixelKey, e.EventName, e.EventId)] = seq;
                        if (e.Status == EventStatuses.Accepted)
                        {
                            waitingPixels.Add(request.PixelKey);
                            waitingSeqs.Add(seq);
                        }
                    }
                }
                await encoded.CompleteAsync(copy);
            }
            catch
            {
                await copy.CancelAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await copy.DisposeAsync().AsTask().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
        }
        await copy.DisposeAsync();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var waiting = new NpgsqlBatchCommand(InsertPendingSql);
            waiting.Parameters.Add(new NpgsqlParameter { Value = waitingPixels });
            waiting.Parameters.Add(new NpgsqlParameter { Value = waitingSeqs });
            batch.BatchCommands.Add(waiting);
            // Every event copied is inserted (a key already there fails the COPY), so every fact of one is packed.
            if (PostgresBuyerFactStore.PackCommand([.. requests.SelectMany(r => r.Facts.Where(f => seqs.ContainsKey((r.PixelKey, f.EventName, f.EventId))))]) is { } packed)
            {
                batch.BatchCommands.Add(packed);
            }
            await batch.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return seqs;
    }

    private static async Task<Dictionary<(string, string, string), long>> WriteEventsAsync(NpgsqlDataSource dataSource, IReadOnlyList<AppendRequest> requests, bool resolveConflicts)
    {
        var rows = requests.Sum(r => r.Events.Count);
        var (pixels, names, ids, sources, tests, payloads, statuses, reasons, traces, accepted) =
            (new string[rows], new string[rows], new string[rows], new string[rows], new string?[rows], new ReadOnlyMemory<byte>[rows], new string[rows], new string?[rows], new string?[rows], new DateTimeOffset[rows]);
        var row = 0;
        foreach (var request in requests)
        {
            foreach (var e in request.Events)
            {
                (pixels[row], names[row], ids[row], sources[row], tests[row]) = (request.PixelKey, e.EventName, e.EventId, e.EventSource, e.TestEventCode);
                (payloads[row], statuses[row], reasons[row], traces[row], accepted[row]) =
                    (e.Payload.Utf8, e.Status, e.Reason, e.TraceId, request.Now);
                row++;
            }
        }
        await using var batch = dataSource.CreateBatch();
        var facts = requests.SelectMany(r => r.Facts.Where(BuyerFactPack.Counts).Select(f => (r.PixelKey, Fact: f))).ToList();
        var command = new NpgsqlBatchCommand(StoreSql[(resolveConflicts ? 2 : 0) + (facts.Count > 0 ? 1 : 0)]);
        command.Parameters.Add(new NpgsqlParameter { Value = pixels });
        command.Parameters.Add(new NpgsqlParameter { Value = names });
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = sources });
        command.Parameters.Add(new NpgsqlParameter { Value = tests, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = statuses });
        command.Parameters.Add(new NpgsqlParameter { Value = reasons, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = accepted });
        command.Parameters.Add(new NpgsqlParameter { Value = traces, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        if (resolveConflicts)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = requests[0].DedupWindow });
        }
        if (facts.Count > 0)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.PixelKey).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.Fact.EventName).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.Fact.EventId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.Fact.OrganizerId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => f.Fact.EventTime).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = facts.Select(f => BuyerFactPack.Piece(f.Fact)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = BuyerFactPack.Header.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
        }
        batch.BatchCommands.Add(command);
        var seqs = new Dictionary<(string, string, string), long>();
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                seqs[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = reader.GetInt64(3);
            }
        }
        return seqs;
    }

    /// <summary>
    /// The oldest <paramref name="limit"/> waiting events, in two steps that each read only what they return: the next
    /// waiting seqs in pixel_pending's key order, then exactly those rows of pixel_events (by range when the seqs are
    /// one run, as a backlog's are). One joined statement left the order of the join to the planner: while a backlog
    /// grew by thousands of rows a second its statistics were minutes old, and it joined the pixel's whole history
    /// or whole backlog and sorted it on disk to return the first 100,000 (docs/BENCHMARKS.md, eleventh pass). A
    /// pending row whose event has moved on (taken again under a new seq, or settled meanwhile) brings nothing back,
    /// so the next seqs are read until the limit is met or nothing waits.
    /// </summary>
    public async Task<IReadOnlyList<BufferedEvent>> LoadPendingAsync(string pixelKey, int limit, CancellationToken cancellationToken)
    {
        var pending = new List<BufferedEvent>();
        var after = long.MinValue;
        while (pending.Count < limit)
        {
            var wanted = limit - pending.Count;
            var seqs = await WaitingSeqsAsync(pixelKey, after, wanted, cancellationToken);
            if (seqs.Count == 0)
            {
                break;
            }
            await using var command = dataSource.CreateCommand($"""
                SELECT seq, event_name, event_id, event_source, test_event_code, payload::text, accepted_at
                FROM pixel_events WHERE {SeqsMatch(seqs)} AND status = 'accepted'
                """);
            AddSeqs(command.Parameters, pixelKey, seqs);
            await ReadBufferedAsync(command, pending, cancellationToken);
            if (seqs.Count < wanted)
            {
                break;
            }
            after = seqs[^1];
        }
        pending.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return pending;
    }

    private async Task<List<long>> WaitingSeqsAsync(string pixelKey, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT seq FROM pixel_pending WHERE pixel_key = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var seqs = new List<long>(Math.Min(limit, 10_000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            seqs.Add(reader.GetInt64(0));
        }
        return seqs;
    }

    public Task MarkDeliveredAsync(string pixelKey, SentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
        => _settles.WriteAsync(new SettleRequest(pixelKey, request, now), cancellationToken);

    /// <summary>
    /// Several pixels' accepted requests settled in one round trip and one transaction. Each pixel keeps its own
    /// statements (its request record, with the seqs it carried, and its pixel_pending DELETE by
    /// <see cref="SeqsMatch"/>), so PostgreSQL reads only each pixel's stretch of pixel_pending whatever its
    /// statistics say. One statement joined to all the pairs was tried: during a burst the statistics described
    /// tables still nearly empty, and the planner scanned the tables whole for every write (20 ms a call;
    /// docs/BENCHMARKS.md, sixth pass). The events' rows are left as they were stored: an event no longer pending
    /// reads as delivered (<see cref="RecordFrom"/>). Rewriting each one cost PostgreSQL a new version of the row,
    /// payload and all (docs/BENCHMARKS.md, fourteenth pass).
    /// </summary>
    private static async Task<IReadOnlyList<bool>> WriteSettlesAsync(NpgsqlDataSource dataSource, IReadOnlyList<SettleRequest> settles)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var settle in settles)
        {
            batch.BatchCommands.Add(RecordRequestCommand(settle.PixelKey, settle.Request, settle.Now));
            batch.BatchCommands.Add(LeavePendingCommand(settle.PixelKey, settle.Request.Seqs));
        }
        await batch.ExecuteNonQueryAsync();
        return [.. settles.Select(_ => true)];
    }

    /// <summary>
    /// The events still pending among <paramref name="seqs"/> leave pixel_pending and become dead letters, in one
    /// statement: an event already delivered (no longer pending, its row still 'accepted') is left alone.
    /// </summary>
    public async Task MarkFailedAsync(string pixelKey, IReadOnlyList<long> seqs, int code, string message, string? requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH answered AS (DELETE FROM pixel_pending WHERE {SeqsMatch(seqs)} RETURNING seq)
            UPDATE pixel_events SET status = 'failed', failed_at = $5, code = $6, message = $7, request_id = $8, attempts = attempts + 1
            WHERE {SeqsMatch(seqs)} AND status = 'accepted' AND seq IN (SELECT seq FROM answered)
            """);
        AddSeqs(command.Parameters, pixelKey, seqs);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { Value = message });
        command.Parameters.Add(Text(requestId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Events TikTok accepted leave pixel_pending in the transaction that records the request.</summary>
    private static NpgsqlBatchCommand LeavePendingCommand(string pixelKey, IReadOnlyList<long> seqs)
    {
        var command = new NpgsqlBatchCommand($"DELETE FROM pixel_pending WHERE {SeqsMatch(seqs)}");
        AddSeqs(command.Parameters, pixelKey, seqs);
        return command;
    }

    /// <summary>
    /// Rows of one pixel by seq ($1 to $4, from <see cref="AddSeqs"/>): "seq = ANY" picks them, and "seq BETWEEN" their
    /// lowest and highest lets PostgreSQL read only that stretch of the pixel's (pixel_key, seq) index. On ANY alone the
    /// planner, its row estimates stale for a pixel that grows fast, chose to read every row the pixel had ever stored:
    /// 43,000 for a 1,000-event settle, more with each batch (auto_explain during the P1 benchmark, docs/BENCHMARKS.md).
    /// <para>
    /// Seqs that are one unbroken run (a single pixel's batch usually is) are exactly the pixel's rows in that range,
    /// so the range alone picks them: PostgreSQL otherwise tests each row against the whole array, one element at a
    /// time (5.5 % of its CPU in P1's profile, docs/BENCHMARKS.md, tenth pass). $2 is then an empty array, left unused.
    /// </para>
    /// </summary>
    private static string SeqsMatch(IReadOnlyList<long> seqs)
        => IsRun(seqs) ? "pixel_key = $1 AND seq BETWEEN $3 AND $4" : "pixel_key = $1 AND seq = ANY($2) AND seq BETWEEN $3 AND $4";

    private static void AddSeqs(NpgsqlParameterCollection parameters, string pixelKey, IReadOnlyList<long> seqs)
    {
        var (lowest, highest) = seqs.Count == 0 ? (0L, -1L) : (seqs.Min(), seqs.Max());
        parameters.Add(new NpgsqlParameter { Value = pixelKey });
        parameters.Add(new NpgsqlParameter { Value = IsRun(seqs) ? Array.Empty<long>() : seqs.ToArray() });
        parameters.Add(new NpgsqlParameter { Value = lowest });
        parameters.Add(new NpgsqlParameter { Value = highest });
    }

    /// <summary>Whether the seqs are one unbroken ascending run, each one more than the one before.</summary>
    private static bool IsRun(IReadOnlyList<long> seqs)
    {
        if (seqs.Count == 0)
        {
            return false;
        }
        for (var i = 1; i < seqs.Count; i++)
        {
            if (seqs[i] != seqs[0] + i)
            {
                return false;
            }
        }
        return true;
    }

    public Task<IReadOnlyList<EventRecord>> FindAsync(string pixelKey, string eventId, CancellationToken cancellationToken)
        => ReadRecordsAsync($"{RecordFrom} WHERE e.pixel_key = $1 AND e.event_id = $2 ORDER BY e.seq", cancellationToken, pixelKey, eventId);

    public Task<IReadOnlyList<EventRecord>> LatestAsync(string pixelKey, int limit, CancellationToken cancellationToken)
        => ReadRecordsAsync($"{RecordFrom} WHERE e.pixel_key = $1 ORDER BY e.accepted_at DESC, e.seq DESC LIMIT $2", cancellationToken, pixelKey, limit);

    /// <summary>
    /// The pixel's rows by status, with its 'accepted' rows split into the events still waiting (those pixel_pending
    /// lists, counted on that small table) and the events delivered since (<see cref="WriteSettlesAsync"/> leaves them
    /// 'accepted').
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(string pixelKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT status, count(*) FROM pixel_events WHERE pixel_key = $1 GROUP BY status
            UNION ALL
            SELECT 'waiting', count(*) FROM pixel_pending p JOIN pixel_events e ON e.pixel_key = p.pixel_key AND e.seq = p.seq
            WHERE p.pixel_key = $1 AND e.status = 'accepted'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        var waiting = counts.Remove("waiting", out var w) ? w : 0;
        var settled = counts.GetValueOrDefault(EventStatuses.Accepted) - waiting;
        counts[EventStatuses.Accepted] = waiting;
        counts[EventStatuses.Delivered] = counts.GetValueOrDefault(EventStatuses.Delivered) + settled;
        foreach (var status in counts.Where(c => c.Value == 0).Select(c => c.Key).ToList())
        {
            counts.Remove(status);
        }
        return counts;
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, DateTimeOffset deadLettersOlderThan, CancellationToken cancellationToken)
    {
        // Only delivered events go (either form, sql/0017): a backlog older than the retention stays until TikTok has it.
        await using var events = dataSource.CreateCommand($"""
            DELETE FROM pixel_events e
            WHERE (({IsDelivered} OR e.status = 'skipped') AND e.accepted_at < $1)
               OR (e.status = 'failed' AND e.failed_at < $2)
            """);
        events.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        events.Parameters.Add(new NpgsqlParameter { Value = deadLettersOlderThan });
        var purged = await events.ExecuteNonQueryAsync(cancellationToken);
        // Pending rows that match no waiting event: left by an event re-accepted under a new seq (sql/0014).
        await using (var orphans = dataSource.CreateCommand("""
            DELETE FROM pixel_pending p
            WHERE NOT EXISTS (SELECT 1 FROM pixel_events e WHERE e.pixel_key = p.pixel_key AND e.seq = p.seq AND e.status = 'accepted')
            """))
        {
            await orphans.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var hours = dataSource.CreateCommand("DELETE FROM pixel_delivered_hours WHERE hour < date_trunc('hour', $1::timestamptz, 'UTC')"))
        {
            hours.Parameters.Add(new NpgsqlParameter { Value = olderThan });
            await hours.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var requests = dataSource.CreateCommand("DELETE FROM pixel_requests WHERE sent_at < $1");
        requests.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        return purged + await requests.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string pixelKey, DeadLetterQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT seq, event_name, event_id, event_source, test_event_code, code, message, request_id, accepted_at, failed_at, attempts, replays, payload::text
            FROM pixel_events
            WHERE pixel_key = $1 AND status = 'failed' AND failed_at IS NOT NULL
              AND ($2::integer IS NULL OR code = $2) AND ($3::text IS NULL OR event_name = $3)
              AND ($4::timestamptz IS NULL OR failed_at >= $4) AND ($5::timestamptz IS NULL OR failed_at < $5)
              AND ($6::text[] IS NULL OR event_id = ANY($6)) AND ($7::bigint IS NULL OR seq < $7)
            ORDER BY seq DESC LIMIT $8
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Code ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(Text(query.EventName));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.From ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.To ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.EventIds?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.BeforeSeq ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetter(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? 0 : reader.GetInt32(5),
                reader.IsDBNull(6) ? "" : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetInt32(10),
                reader.GetInt32(11),
                TrackEventJson.Parse(reader.GetFieldValue<byte[]>(12))));
        }
        return letters;
    }

    public async Task<IReadOnlyList<BufferedEvent>> ReviveAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH revived AS (
                UPDATE pixel_events SET status = 'accepted', failed_at = NULL, code = NULL, message = NULL, request_id = NULL, replays = replays + 1
                WHERE {SeqsMatch(seqs)} AND status = 'failed'
                RETURNING pixel_key, seq, event_name, event_id, event_source, test_event_code, payload::text AS payload, accepted_at
            ), waiting AS (
                INSERT INTO pixel_pending (pixel_key, seq) SELECT pixel_key, seq FROM revived ON CONFLICT DO NOTHING
            )
            SELECT seq, event_name, event_id, event_source, test_event_code, payload, accepted_at FROM revived
            """);
        AddSeqs(command.Parameters, pixelKey, seqs);
        var revived = new List<BufferedEvent>();
        await ReadBufferedAsync(command, revived, cancellationToken);
        revived.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return revived;
    }

    public async Task RecordRequestAsync(string pixelKey, SentRequest request, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(RecordRequestCommand(pixelKey, request, null));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand RecordRequestCommand(string pixelKey, SentRequest request, DateTimeOffset? settledAt)
    {
        // A success also adds its events to the pixel's hour (sql/0015), in the same statement: one text for every
        // outcome, so that it is prepared once. first_seq and last_seq let an event find the request that delivered
        // it, and settled_at (a settle's only) says when (sql/0017).
        var command = new NpgsqlBatchCommand("""
            WITH logged AS (
                INSERT INTO pixel_requests (pixel_key, sent_at, outcome, code, message, request_id, latency_ms, event_count, event_names, event_source, test_event_code, partner_name, seqs, first_seq, last_seq, settled_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            )
            INSERT INTO pixel_delivered_hours (pixel_key, hour, events)
            SELECT $1, date_trunc('hour', $2::timestamptz, 'UTC'), $8 WHERE $3 = 'success' AND $8 > 0
            ON CONFLICT (pixel_key, hour) DO UPDATE SET events = pixel_delivered_hours.events + excluded.events
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = request.SentAt });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Outcome });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Code });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Message });
        command.Parameters.Add(Text(request.RequestId));
        command.Parameters.Add(new NpgsqlParameter { Value = request.LatencyMs });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Seqs.Count });
        command.Parameters.Add(new NpgsqlParameter { Value = request.EventNames.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = request.EventSource });
        command.Parameters.Add(Text(request.TestEventCode));
        command.Parameters.Add(Text(request.PartnerName));
        command.Parameters.Add(new NpgsqlParameter { Value = request.Seqs.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Seqs.Count == 0 ? DBNull.Value : request.Seqs.Min(), NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Seqs.Count == 0 ? DBNull.Value : request.Seqs.Max(), NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)settledAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }

    public async Task<IReadOnlyList<SentRequest>> RequestsAsync(string pixelKey, RequestLogQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, sent_at, outcome, code, message, request_id, latency_ms, event_names, event_source, test_event_code, partner_name, seqs
            FROM pixel_requests
            WHERE pixel_key = $1 AND ($2::text IS NULL OR outcome = $2) AND ($3::text IS NULL OR $3 = ANY(event_names))
              AND ($4::timestamptz IS NULL OR sent_at >= $4) AND ($5::timestamptz IS NULL OR sent_at < $5) AND ($6::bigint IS NULL OR id < $6)
            ORDER BY id DESC LIMIT $7
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(Text(query.Outcome));
        command.Parameters.Add(Text(query.EventName));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.From ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.To ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.BeforeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        var requests = new List<SentRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            requests.Add(new SentRequest(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetDouble(6),
                reader.GetFieldValue<string[]>(7), reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetFieldValue<long[]>(11)));
        }
        return requests;
    }

    public async Task<long> DeliveredSinceAsync(string pixelKey, DateTimeOffset hour, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(sum(events), 0)::bigint FROM pixel_delivered_hours WHERE pixel_key = $1 AND hour >= $2");
        command.Parameters.Add(new NpgsqlParameter { Value = pixelKey });
        command.Parameters.Add(new NpgsqlParameter { Value = hour });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyDictionary<string, RequestSignals>> RequestSignalsAsync(IReadOnlyList<string> pixelKeys, DateTimeOffset windowStart, DateTimeOffset historyStart, CancellationToken cancellationToken)
    {
        var signals = pixelKeys.Distinct(StringComparer.Ordinal).ToDictionary(k => k, _ => new RequestSignals(), StringComparer.Ordinal);
        if (signals.Count == 0)
        {
            return signals;
        }
        var keys = signals.Keys.ToArray();
        await using var batch = dataSource.CreateBatch();
        var outcomes = new NpgsqlBatchCommand("SELECT pixel_key, outcome, count(*) FROM pixel_requests WHERE pixel_key = ANY($1) AND sent_at >= $2 GROUP BY 1, 2");
        outcomes.Parameters.Add(new NpgsqlParameter { Value = keys });
        outcomes.Parameters.Add(new NpgsqlParameter { Value = windowStart });
        var hours = new NpgsqlBatchCommand("SELECT pixel_key, hour, events FROM pixel_delivered_hours WHERE pixel_key = ANY($1) AND hour >= date_trunc('hour', $2::timestamptz, 'UTC')");
        hours.Parameters.Add(new NpgsqlParameter { Value = keys });
        hours.Parameters.Add(new NpgsqlParameter { Value = historyStart });
        // One index probe per pixel: counting a large backlog each evaluation would read all of it.
        var waiting = new NpgsqlBatchCommand("SELECT k FROM unnest($1::text[]) AS k WHERE EXISTS (SELECT 1 FROM pixel_pending p WHERE p.pixel_key = k)");
        waiting.Parameters.Add(new NpgsqlParameter { Value = keys });
        batch.BatchCommands.Add(outcomes);
        batch.BatchCommands.Add(hours);
        batch.BatchCommands.Add(waiting);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            signals[reader.GetString(0)].Outcomes[reader.GetString(1)] = reader.GetInt64(2);
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            signals[reader.GetString(0)].DeliveredByHour[reader.GetFieldValue<DateTimeOffset>(1)] = reader.GetInt64(2);
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            signals[reader.GetString(0)].Waiting = true;
        }
        return signals;
    }

    public async Task<IReadOnlyDictionary<long, TrackEventJson>> PayloadsAsync(string pixelKey, IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT seq, payload::text FROM pixel_events WHERE {SeqsMatch(seqs)}");
        AddSeqs(command.Parameters, pixelKey, seqs);
        var payloads = new Dictionary<long, TrackEventJson>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            payloads[reader.GetInt64(0)] = TrackEventJson.Parse(reader.GetFieldValue<byte[]>(1));
        }
        return payloads;
    }

    public async Task<IReadOnlyList<DeliveredCount>> CountDeliveredByDayAsync(string pixelKey, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        // The predicate matches the partial index pixel_events_by_event_time (sql/0014).
        await using var command = dataSource.CreateCommand($"""
            SELECT (e.payload->>'event_time')::bigint / 86400 AS day, e.event_name, count(*)
            FROM pixel_events e
            WHERE e.pixel_key = $1 AND {IsDelivered} AND e.test_event_code IS NULL
              AND (e.payload->>'event_time')::bigint >= $2 AND (e.payload->>'event_time')::bigint < $3
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
    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>Adds every row of a command that selects <see cref="ReadBuffered"/>'s columns to <paramref name="events"/>.</summary>
    private static async Task ReadBufferedAsync(NpgsqlCommand command, List<BufferedEvent> events, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(ReadBuffered(reader));
        }
    }

    private static BufferedEvent ReadBuffered(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        TrackEventJson.Parse(reader.GetFieldValue<byte[]>(5)),
        reader.GetFieldValue<DateTimeOffset>(6));

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
