using System.Text;
using Npgsql;
using TikTokAds.Grains;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Stores;

/// <summary>
/// Rows encoded by <see cref="BinaryCopyRows"/> and sent through Npgsql's raw COPY stream reach a real PostgreSQL as the
/// values they were: every type the events' COPY uses, NULLs, text beyond ASCII, fields larger than a block, and rows
/// spanning many blocks. A COPY cancelled part way leaves nothing.
/// </summary>
public sealed class BinaryCopyRowsTests : IAsyncLifetime
{
    private const string Copy = "COPY copied (name, note, n, body, at) FROM STDIN (FORMAT BINARY)";
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("binary_copy"));
        await using var create = _dataSource.CreateCommand("CREATE TABLE copied (name text NOT NULL, note text, n bigint NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL)");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private sealed record Row(string Name, string? Note, long N, string Body, DateTimeOffset At);

    private async Task CopyAsync(IEnumerable<Row> rows)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginRawBinaryCopyAsync(Copy);
        using var encoded = new BinaryCopyRows();
        foreach (var row in rows)
        {
            encoded.StartRow(5);
            encoded.Text(row.Name);
            encoded.TextOrNull(row.Note);
            encoded.Bigint(row.N);
            encoded.Jsonb(Encoding.UTF8.GetBytes(row.Body));
            encoded.TimestampTz(row.At);
            await encoded.SendIfFullAsync(copy);
        }
        await encoded.CompleteAsync(copy);
    }

    private async Task<List<Row>> ReadAsync()
    {
        await using var command = _dataSource.CreateCommand("SELECT name, note, n, body::text, at FROM copied ORDER BY n");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(4))));
        }
        return rows;
    }

    [Fact]
    public async Task Every_column_type_arrives_as_written_nulls_and_non_ascii_text_included()
    {
        var at = new DateTimeOffset(2026, 12, 7, 1, 2, 3, TimeSpan.Zero).AddTicks(1_234_567);
        Row[] rows =
        [
            new("plain", "a note", long.MinValue, """{"a": 1}""", at),
            new("Zürich – 東京 🎟", null, -1, """{"s": "é"}""", new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero)),
            new("", "", long.MaxValue, "[]", at),
        ];

        await CopyAsync(rows);

        var read = await ReadAsync();
        Assert.Equal(3, read.Count);
        Assert.Equal(new Row("plain", "a note", long.MinValue, """{"a": 1}""", at.AddTicks(-7)), read[0]);
        Assert.Equal(new Row("Zürich – 東京 🎟", null, -1, """{"s": "é"}""", new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero)), read[1]);
        Assert.Equal(new Row("", "", long.MaxValue, "[]", at.AddTicks(-7)), read[2]);
    }

    [Fact]
    public async Task Rows_over_many_blocks_and_a_field_larger_than_a_block_all_arrive()
    {
        var at = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var large = $$"""{"text": "{{new string('x', BinaryCopyRows.BlockBytes * 3)}}"}""";
        var rows = Enumerable.Range(0, 5_000).Select(i => new Row($"row {i}", i % 2 == 0 ? null : $"note {i}", i, i == 2_500 ? large : $$"""{"i": {{i}}}""", at.AddSeconds(i))).ToList();

        await CopyAsync(rows);

        var read = await ReadAsync();
        Assert.Equal(rows.Count, read.Count);
        Assert.Equal(rows.Where(r => r.N != 2_500), read.Where(r => r.N != 2_500));
        Assert.Equal(large, read[2_500].Body);
    }

    [Fact]
    public async Task A_copy_cancelled_part_way_leaves_no_row()
    {
        await using (var connection = await _dataSource.OpenConnectionAsync())
        {
            await using var copy = await connection.BeginRawBinaryCopyAsync(Copy);
            using var encoded = new BinaryCopyRows();
            for (var i = 0; i < 3_000; i++)
            {
                encoded.StartRow(5);
                encoded.Text("row");
                encoded.Null();
                encoded.Bigint(i);
                encoded.Jsonb("{}"u8);
                encoded.TimestampTz(DateTimeOffset.UnixEpoch);
                await encoded.SendIfFullAsync(copy);
            }
            await copy.CancelAsync();
        }

        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task A_row_with_the_wrong_number_of_fields_fails_the_copy()
    {
        var failure = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var copy = await connection.BeginRawBinaryCopyAsync(Copy);
            using var encoded = new BinaryCopyRows();
            encoded.StartRow(2);
            encoded.Text("row");
            encoded.Null();
            await encoded.CompleteAsync(copy);
        });

        Assert.Equal(PostgresErrorCodes.BadCopyFileFormat, failure.SqlState);
        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task The_ends_of_time_are_infinities_and_a_value_not_in_utc_or_text_not_utf16_is_refused()
    {
        await CopyAsync([new("min", null, 1, "{}", DateTimeOffset.MinValue), new("max", null, 2, "{}", DateTimeOffset.MaxValue)]);

        await using var command = _dataSource.CreateCommand("SELECT at::text FROM copied ORDER BY n");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("-infinity", reader.GetString(0));
        Assert.True(await reader.ReadAsync());
        Assert.Equal("infinity", reader.GetString(0));
        using var encoded = new BinaryCopyRows();
        Assert.Throws<ArgumentException>(() => encoded.TimestampTz(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.FromHours(5))));
        Assert.ThrowsAny<ArgumentException>(() => encoded.Text("lone \ud800 surrogate"));
    }

    [Fact]
    public async Task A_file_starts_with_the_signature_ends_with_the_trailer_and_takes_nothing_once_complete_or_disposed()
    {
        using var stream = new MemoryStream();
        var encoded = new BinaryCopyRows();
        encoded.StartRow(1);
        encoded.Bigint(258);
        await encoded.CompleteAsync(stream);

        Assert.Equal([(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2, 0xFF, 0xFF], stream.ToArray());
        Assert.Throws<ObjectDisposedException>(() => encoded.StartRow(1));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await encoded.CompleteAsync(stream));
        encoded.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoded.Null());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await encoded.SendIfFullAsync(stream));
    }
}
