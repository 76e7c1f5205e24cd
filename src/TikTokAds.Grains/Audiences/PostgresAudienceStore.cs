using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace TikTokAds.Grains.Audiences;

/// <summary>audience_operations and audience_member_log (sql/0018) in PostgreSQL.</summary>
public sealed class PostgresAudienceStore(NpgsqlDataSource dataSource, ILogger<PostgresAudienceStore>? logger = null) : IAudienceStore
{
    private readonly ILogger _logger = logger ?? NullLogger<PostgresAudienceStore>.Instance;

    private const string Columns = "op_id, action, id_schema, trigger, total, valid, status, phase, progress, uploaded, removed, created_at, started_at, finished_at, error";
    // A chunk's members, packed, in one row; the audience's advisory lock taken shared, so that a rewrite of its log
    // (exclusive) never runs beside it (sql/0018). Only while its run is stored: the members of a run that is gone
    // (its audience deleted) are not kept.
    private const string AppendSql = """
        INSERT INTO audience_member_log (audience_key, removes, size, members)
        SELECT $1, $2, $3, $4 FROM (SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))) AS locked
        WHERE EXISTS (SELECT 1 FROM audience_operations WHERE op_id = $5 AND audience_key = $1)
        """;
    private const string InsertSql = """
        INSERT INTO audience_operations (audience_key, action, id_schema, rows, packed, trigger, total, valid, status, created_at, piece_rows)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING op_id
        """;

    /// <summary>
    /// Rows in one piece of a run stored in pieces (sql/0020): 165 kB of single-identifier rows, and a chunk of the
    /// default size (<see cref="AudienceOptions.ChunkSize"/>) is one piece. Runs of at most this many rows are one value.
    /// </summary>
    public const int PieceRows = 5_000;

    // What a run stored in pieces keeps in packed: not whole rows, so older builds fail to read it rather than find none.
    private static readonly byte[] PiecesMarker = [0];

    private const string UpdateSql = """
        UPDATE audience_operations SET status = $2, phase = $3, progress = $4, uploaded = $5, removed = $6,
            started_at = $7, finished_at = $8, error = $9
        WHERE op_id = $1
        """;

    public async Task<long> EnqueueAsync(string audienceKey, string action, IReadOnlyList<string> idSchema, IReadOnlyList<string> rows, byte[]? packed, string trigger, int total, int valid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        packed = PackedRows.Check(packed, idSchema.Count) ?? PackedRows.TryPack(rows, idSchema.Count);
        var status = trigger == "scheduled" ? OperationStatuses.Scheduled : OperationStatuses.Pending;
        var pieceBytes = PieceRows * PackedRows.Width(idSchema.Count);
        if (packed is null || packed.Length <= pieceBytes)
        {
            await using var command = dataSource.CreateCommand(InsertSql);
            Add(command, audienceKey, action, idSchema.ToArray(), packed is null ? rows.ToArray() : Array.Empty<string>(), (object?)packed ?? DBNull.Value,
                trigger, total, valid, status, now, DBNull.Value);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        // In pieces (sql/0020): the run, then its pieces by one COPY, in one transaction.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long opId;
        await using (var command = new NpgsqlCommand(InsertSql, connection, transaction))
        {
            Add(command, audienceKey, action, idSchema.ToArray(), Array.Empty<string>(), PiecesMarker, trigger, total, valid, status, now, PieceRows);
            opId = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var importer = await connection.BeginBinaryImportAsync("COPY audience_run_pieces (op_id, piece, packed) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var (piece, start) = (0, 0); start < packed.Length; piece++, start += pieceBytes)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(opId, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(piece, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(new ArraySegment<byte>(packed, start, Math.Min(pieceBytes, packed.Length - start)), NpgsqlTypes.NpgsqlDbType.Bytea, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return opId;
    }

    public Task<IReadOnlyList<AudienceOperation>> OpenAsync(string audienceKey, CancellationToken cancellationToken)
        => QueryAsync($"SELECT {Columns} FROM audience_operations WHERE audience_key = $1 AND status NOT IN ('done', 'failed') ORDER BY op_id", cancellationToken, audienceKey);

    public Task<IReadOnlyList<AudienceOperation>> HistoryAsync(string audienceKey, int limit, CancellationToken cancellationToken)
        => QueryAsync($"SELECT {Columns} FROM audience_operations WHERE audience_key = $1 ORDER BY op_id DESC LIMIT $2", cancellationToken, audienceKey, limit);

    public async Task<RunRows> RowsAsync(long opId, int offset, int count, CancellationToken cancellationToken)
    {
        // Packed rows are fixed-width, so the chunk is a byte range: of the run's one value (read alone: the column is
        // stored uncompressed), or of the pieces it spans (sql/0020). Arrays and substring are 1-based in PostgreSQL.
        await using var command = dataSource.CreateCommand("""
            SELECT cardinality(id_schema), piece_rows,
                   CASE WHEN piece_rows IS NULL THEN substring(packed FROM $2 * (1 + 32 * cardinality(id_schema)) + 1 FOR $3 * (1 + 32 * cardinality(id_schema))) END,
                   CASE WHEN packed IS NULL THEN rows[$2 + 1:$2 + $3] END,
                   ARRAY(SELECT p.packed FROM audience_run_pieces p
                         WHERE p.op_id = o.op_id AND p.piece BETWEEN $2 / o.piece_rows AND ($2 + $3 - 1) / o.piece_rows ORDER BY p.piece)
            FROM audience_operations o WHERE op_id = $1
            """);
        Add(command, opId, offset, count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return RunRows.None;
        }
        var cells = reader.GetInt32(0);
        return !reader.IsDBNull(1) ? RunRows.OfPacked(Joined(reader.GetFieldValue<byte[][]>(4)), cells).Slice(offset % reader.GetInt32(1), count)
            : !reader.IsDBNull(2) ? RunRows.OfPacked(reader.GetFieldValue<byte[]>(2), cells)
            : !reader.IsDBNull(3) ? RunRows.OfText(reader.GetFieldValue<string[]>(3))
            : RunRows.None;
    }

    /// <summary>Consecutive pieces' rows as one buffer (the one piece itself when there is one).</summary>
    private static byte[] Joined(byte[][] pieces)
    {
        if (pieces.Length == 1)
        {
            return pieces[0];
        }
        var rows = new byte[pieces.Sum(p => p.Length)];
        var at = 0;
        foreach (var piece in pieces)
        {
            piece.CopyTo(rows, at);
            at += piece.Length;
        }
        return rows;
    }

    public async Task CommitAsync(string audienceKey, AudienceOperation operation, bool removes, IReadOnlyList<IReadOnlyCollection<string>> chunks, CancellationToken cancellationToken)
    {
        // One round trip and one implicit transaction: the progress past the chunks and their rows in the member log.
        // The run's row first: its lock holds back a deletion of the audience (which deletes the runs before the log)
        // until this commits, and a run that is gone already takes none of the chunks.
        await using var batch = dataSource.CreateBatch();
        var update = Command(UpdateSql, UpdateValues(operation));
        batch.BatchCommands.Add(update);
        foreach (var chunk in chunks)
        {
            var packed = chunk as MemberChunk ?? MemberChunk.Of(chunk);
            batch.BatchCommands.Add(Command(AppendSql, audienceKey, removes, packed.Count, packed.Packed, operation.OpId));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        if (update.RecordsAffected > 0)
        {
            await RewriteIfEndedAsync(audienceKey, operation, cancellationToken);
        }
    }

    /// <summary>The run's end is stored; the rewrite only makes the log shorter, so its failure must not fail the settle.</summary>
    private async Task RewriteIfEndedAsync(string audienceKey, AudienceOperation o, CancellationToken cancellationToken)
    {
        if (o.Status is not (OperationStatuses.Done or OperationStatuses.Failed))
        {
            return;
        }
        try
        {
            await RewriteMembersAsync(audienceKey, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AudienceLog.MemberRewriteFailed(_logger, ex, audienceKey, o.OpId);
        }
    }

    public async Task<int> ReleaseScheduledAsync(string audienceKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE audience_operations SET status = 'pending' WHERE audience_key = $1 AND status = 'scheduled'");
        Add(command, audienceKey);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountMembersAsync(string audienceKey, CancellationToken cancellationToken)
    {
        // An idle audience's log is one row of distinct members (rewritten when its last run ended): its size.
        await using (var command = dataSource.CreateCommand("SELECT count(*), bool_or(removes), max(size) FROM audience_member_log WHERE audience_key = $1"))
        {
            Add(command, audienceKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            switch (reader.GetInt64(0))
            {
                case 0:
                    return 0;
                case 1 when !reader.GetBoolean(1):
                    return reader.GetInt32(2);
            }
        }
        return (await ReplayAsync(audienceKey, connection: null, cancellationToken)).Members.Count;
    }

    public async Task<IReadOnlyList<string>> MembersNotInAsync(string audienceKey, IReadOnlySet<string> keep, int limit, CancellationToken cancellationToken)
    {
        var (members, _) = await ReplayAsync(audienceKey, connection: null, cancellationToken);
        var kept = keep is HashSet<string> set && set.TryGetAlternateLookup<ReadOnlySpan<char>>(out var spans) ? spans
            : new HashSet<string>(keep, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var extra = new List<string>();
        Span<char> text = stackalloc char[PackedMembers.MaxTextLength];
        foreach (var entry in members.Entries.TakeWhile(_ => extra.Count < limit))
        {
            // Compared in place; only a member not kept becomes a string (and one too long for the buffer).
            var member = PackedMembers.TryUnpack(entry.Span, text, out var written) ? text[..written] : PackedMembers.Unpack(entry.Span).AsSpan();
            if (!kept.Contains(member))
            {
                extra.Add(member.ToString());
            }
        }
        return extra;
    }

    public async Task DeleteAudienceAsync(string audienceKey, CancellationToken cancellationToken)
    {
        // The runs first: a commit still storing chunks holds its run's row, so this waits for it. Then the audience's
        // lock, exclusively, as a rewrite of the log takes it: a rewrite under way (it follows a commit) finishes first.
        // The log's DELETE after both (a statement of its own, reading what is committed by then) takes those chunks
        // and that rewrite's row too. Row lock before advisory lock, the order a commit takes them in.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("DELETE FROM audience_operations WHERE audience_key = $1", audienceKey));
        batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", audienceKey));
        batch.BatchCommands.Add(Command("DELETE FROM audience_member_log WHERE audience_key = $1", audienceKey));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The audience's members: its log replayed in seq order; and the last seq read (0 when none).</summary>
    private async Task<(PackedMemberSet Members, long LastSeq)> ReplayAsync(string audienceKey, NpgsqlConnection? connection, CancellationToken cancellationToken)
    {
        await using var command = connection is null ? dataSource.CreateCommand() : connection.CreateCommand();
        command.CommandText = "SELECT seq, removes, members FROM audience_member_log WHERE audience_key = $1 ORDER BY seq";
        Add(command, audienceKey);
        var members = new PackedMemberSet();
        var lastSeq = 0L;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lastSeq = reader.GetInt64(0);
            members.Apply(reader.GetFieldValue<byte[]>(2), reader.GetBoolean(1));
        }
        return (members, lastSeq);
    }

    /// <summary>
    /// Once a run ends, the audience's log becomes one row of the members it holds, in place of the rows it replays
    /// (with the last one's seq, so anything stored after it still replays after it). The exclusive lock waits for
    /// chunks being stored and holds new ones back until the rewrite commits.
    /// </summary>
    private async Task RewriteMembersAsync(string audienceKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            Add(command, audienceKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand("SELECT count(*) FILTER (WHERE removes), count(*) FROM audience_member_log WHERE audience_key = $1", connection, transaction))
        {
            Add(command, audienceKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt64(0) == 0 && reader.GetInt64(1) <= 1)
            {
                return;
            }
        }
        var (members, lastSeq) = await ReplayAsync(audienceKey, connection, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command("DELETE FROM audience_member_log WHERE audience_key = $1 AND seq <= $2", audienceKey, lastSeq));
        if (members.Count > 0)
        {
            batch.BatchCommands.Add(Command("INSERT INTO audience_member_log (audience_key, seq, removes, size, members) VALUES ($1, $2, false, $3, $4)", audienceKey, lastSeq, members.Count, members.Pack()));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<AudienceOperation>> QueryAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        Add(command, parameters);
        var operations = new List<AudienceOperation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            operations.Add(new AudienceOperation(
                reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.GetString(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10),
                reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                reader.IsDBNull(14) ? null : reader.GetString(14)));
        }
        return operations;
    }

    private static object[] UpdateValues(AudienceOperation o)
        => [o.OpId, o.Status, o.Phase, o.Progress, o.Uploaded, o.Removed, (object?)o.StartedAt ?? DBNull.Value, (object?)o.FinishedAt ?? DBNull.Value, (object?)o.Error ?? DBNull.Value];

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }
        return command;
    }

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }
    }

    private static NpgsqlParameter Parameter(object value)
        => value is DBNull ? new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown } : new NpgsqlParameter { Value = value };
}
