using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains;
using TikTokAds.Grains.Assurance;
using TikTokAds.Grains.Events;
using TikTokAds.Grains.Segments;
using TikTokAds.Node.Cluster;
using TikTokAds.Testing;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Node.Tests.Stores;

/// <summary>
/// Appends of many pixels sharing writes on a real PostgreSQL: each pixel gets exactly its own rows and sequence
/// numbers back, duplicates are still answered per pixel, and a value the database refuses fails only its own pixel.
/// </summary>
public sealed class PostgresEventStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(48);
    private NpgsqlDataSource _dataSource = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("event_store");
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    /// <summary>The events of every write go in by binary COPY (<see cref="PostgresEventStore.DefaultCopyFrom"/>).</summary>
    private const int Copied = 1;

    /// <summary>The events of every write go in by INSERT … SELECT FROM unnest(…).</summary>
    private const int Statement = int.MaxValue;

    private static NewEvent Purchase(string id, string? testEventCode = null) => new(
        "CompletePayment", id, "web", testEventCode, TrackEventJson.From(new TrackEvent { Event = "CompletePayment", EventTime = 1_795_300_000, EventId = id }), EventStatuses.Accepted, null);

    private static NewEvent Viewed(string id) => new(
        "ViewContent", id, "web", null, TrackEventJson.From(new TrackEvent { Event = "ViewContent", EventTime = 1_795_300_000, EventId = id }), EventStatuses.Accepted, null);

    private static BuyerFact Fact(string organizer, string pixel, string id, DateTimeOffset now)
        => new(organizer, pixel, "CompletePayment", id, now, new string('a', 64), null, 10m, "EUR", ["ticket"], now);

    /// <summary>The organizer's facts as segments read them, each (pixel, event name, event id) once: "pixel:id", in order.</summary>
    private async Task<string[]> FactsOfAsync(string organizer)
        => [.. (await new PostgresBuyerFactStore(_dataSource).QueryAsync(organizer, ["CompletePayment"], DateTimeOffset.UnixEpoch, default))
            .Select(f => $"{f.PixelId}:{f.EventId}").Order(StringComparer.Ordinal)];

    /// <summary>How many buyer_fact_packs rows the organizer has, and how many facts they hold, a fact packed twice counted twice.</summary>
    private async Task<(long Packs, long Facts)> PacksOfAsync(string organizer)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*), coalesce(sum(facts), 0)::bigint FROM buyer_fact_packs WHERE organizer_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = organizer });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task Concurrent_appends_of_many_pixels_each_get_their_own_rows_and_duplicates_are_answered_per_pixel(int copyFrom)
    {
        // One write at a time, so the appends below queue behind each other and share writes.
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = DateTimeOffset.UtcNow;
        var pixels = Enumerable.Range(0, 40).Select(p => $"org_{p % 4}/pixel_{p}").ToArray();

        // Every pixel uses the same event ids: they are told apart by pixel only.
        var first = await Task.WhenAll(pixels.Select(p => store.AppendAsync(p, [Purchase("e1"), Purchase("e2"), Purchase("e3")],
            [Fact(p.Split('/')[0], p.Split('/')[1], "e1", now)], now, Window, default)));
        var again = await Task.WhenAll(pixels.Select(p => store.AppendAsync(p, [Purchase("e2"), Purchase("e4")], [], now.AddSeconds(1), Window, default)));

        var seqs = first.SelectMany(s => s).Select(s => s!.Value).ToList();
        Assert.Equal(120, seqs.Distinct().Count());
        Assert.All(again, answer => Assert.Null(answer[0]));
        Assert.All(again, answer => Assert.NotNull(answer[1]));
        for (var p = 0; p < pixels.Length; p++)
        {
            var pending = await store.LoadPendingAsync(pixels[p], 10, default);
            Assert.Equal(["e1", "e2", "e3", "e4"], pending.Select(e => e.EventId));
            Assert.Equal([.. first[p].Select(s => s!.Value), again[p][1]!.Value], pending.Select(e => e.Seq));
        }
        Assert.Equal(40, (await Task.WhenAll(Enumerable.Range(0, 4).Select(o => FactsOfAsync($"org_{o}")))).Sum(f => f.Length));
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task Concurrent_appends_of_one_pixel_share_a_write_and_each_hears_its_own_seqs(int copyFrom)
    {
        // The first append takes the only write slot; the ten behind it, each with its own events, share the next.
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = DateTimeOffset.UtcNow;
        var pixel = $"org_s/pixel_{copyFrom}";

        var answers = await Task.WhenAll(Enumerable.Range(0, 11).Select(a => store.AppendAsync(pixel, [Purchase($"s{a}a"), Purchase($"s{a}b")],
            [Fact("org_s", $"pixel_{copyFrom}", $"s{a}a", now)], now, Window, default)));

        var pending = await store.LoadPendingAsync(pixel, 100, default);
        Assert.Equal(22, pending.Count);
        for (var a = 0; a < answers.Length; a++)
        {
            Assert.Equal([$"s{a}a", $"s{a}b"], answers[a].Select(seq => Assert.Single(pending, e => e.Seq == seq).EventId));
        }
        Assert.Equal(11, (await FactsOfAsync("org_s")).Length);
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task Every_column_is_stored_as_given_and_only_accepted_events_wait(int copyFrom)
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);
        const string pixel = "org_c/pixel_c";
        NewEvent[] events =
        [
            Purchase("c1", "TEST42") with { TraceId = "0af7651916cd43dd8448eb211c80319c" },
            Purchase("c2") with { Status = EventStatuses.Skipped, Reason = "no consent", EventSource = "app" },
        ];

        var seqs = await store.AppendAsync(pixel, events, [], now, Window, default);

        await using var command = _dataSource.CreateCommand("""
            SELECT string_agg(concat_ws('|', event_name, event_id, seq, event_source, test_event_code, payload->>'event_id', status, reason,
                                        to_char(accepted_at AT TIME ZONE 'UTC', 'HH24:MI'), trace_id, attempts, delivered_at, code), ';' ORDER BY event_id)
            FROM pixel_events WHERE pixel_key = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pixel });
        Assert.Equal(
            $"CompletePayment|c1|{seqs[0]}|web|TEST42|c1|accepted|21:00|0af7651916cd43dd8448eb211c80319c|0;CompletePayment|c2|{seqs[1]}|app|c2|skipped|no consent|21:00|0",
            await command.ExecuteScalarAsync());
        Assert.True(seqs[0] < seqs[1]);
        Assert.Equal(["c1"], (await store.LoadPendingAsync(pixel, 10, default)).Select(e => e.EventId));
        await using var waiting = _dataSource.CreateCommand("SELECT array_agg(seq) FROM pixel_pending WHERE pixel_key = $1");
        waiting.Parameters.Add(new NpgsqlParameter { Value = pixel });
        Assert.Equal(new[] { seqs[0]!.Value }, await waiting.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task A_write_meeting_rows_already_stored_is_taken_again_whole_storing_what_is_new_with_its_facts_and_answering_the_rest_as_duplicates(int copyFrom)
    {
        // One write at a time: pixel_1's and pixel_2's appends queue behind pixel_0's and share a write, so pixel_2's
        // new event goes in the write that meets pixel_1's stored ones.
        using var retaken = new RetakenWrites();
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, retaken.Metrics, copyFrom);
        var now = DateTimeOffset.UtcNow;
        await store.AppendAsync("org_m/pixel_1", [Purchase("m1"), Purchase("m2")], [Fact("org_m", "pixel_1", "m1", now)], now, Window, default);
        Assert.Empty(retaken.ByTable);

        var mixed = await Task.WhenAll(
            store.AppendAsync("org_m/pixel_0", [Purchase("m0")], [], now.AddSeconds(1), Window, default),
            store.AppendAsync("org_m/pixel_1", [Purchase("m1"), Purchase("m3"), Purchase("m2")],
                [Fact("org_m", "pixel_1", "m1", now), Fact("org_m", "pixel_1", "m3", now)], now.AddSeconds(1), Window, default),
            store.AppendAsync("org_m/pixel_2", [Purchase("m1")], [Fact("org_m", "pixel_2", "m1", now)], now.AddSeconds(1), Window, default));

        Assert.NotNull(mixed[0][0]);
        Assert.Null(mixed[1][0]);
        Assert.NotNull(mixed[1][1]);
        Assert.Null(mixed[1][2]);
        Assert.NotNull(mixed[2][0]);
        Assert.Equal(["m1", "m2", "m3"], (await store.LoadPendingAsync("org_m/pixel_1", 10, default)).Select(e => e.EventId));
        Assert.Equal(["m1"], (await store.LoadPendingAsync("org_m/pixel_2", 10, default)).Select(e => e.EventId));
        // pixel_1's m1 is not packed again: the shared write found its event stored.
        Assert.Equal(["pixel_1:m1", "pixel_1:m3", "pixel_2:m1"], await FactsOfAsync("org_m"));
        Assert.Equal((2L, 3L), await PacksOfAsync("org_m"));
        // The shared write was taken again once, with its facts; pixel_0's write before it met nothing.
        Assert.Equal(new Dictionary<string, long> { ["pixel_events"] = 1 }, retaken.ByTable);
    }

    [Fact]
    public async Task A_fact_recorded_twice_is_read_once_as_first_recorded_and_a_fact_without_a_buyer_is_left_out()
    {
        var store = new PostgresBuyerFactStore(_dataSource);
        var now = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);
        await store.RecordAsync([Fact("org_f", "pixel_f", "f1", now)], default);

        // A retried append packs f1 again, accepted later and (as if the event had changed) with another value.
        await store.RecordAsync([Fact("org_f", "pixel_f", "f1", now.AddSeconds(5)) with { Value = 99m }, Fact("org_f", "pixel_f", "f2", now.AddSeconds(5)),
            Fact("org_f", "pixel_f", "f3", now.AddSeconds(5)) with { EmailSha256 = null }], default);

        var read = (await store.QueryAsync("org_f", ["CompletePayment"], now.AddHours(-1), default)).OrderBy(f => f.EventId).ToArray();
        Assert.Equal(["f1", "f2"], read.Select(f => f.EventId));
        Assert.Equal((10m, now), (read[0].Value, read[0].AcceptedAt));
        Assert.Equal((2L, 3L), await PacksOfAsync("org_f"));
    }

    [Fact]
    public async Task Facts_recorded_before_0021_are_read_beside_the_packs_and_the_first_recorded_of_a_pair_counts()
    {
        var store = new PostgresBuyerFactStore(_dataSource);
        var now = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);
        await using (var legacy = _dataSource.CreateCommand("""
            INSERT INTO buyer_facts (organizer_id, pixel_id, event_name, event_id, event_time, email_sha256, value, currency, content_ids, accepted_at)
            VALUES ('org_l', 'pixel_l', 'CompletePayment', 'l1', $1, repeat('a', 64), 10, 'EUR', '{ticket}', $1),
                   ('org_l', 'pixel_l', 'CompletePayment', 'l2', $1, repeat('b', 64), 20, 'EUR', '{}', $1),
                   ('org_other', 'pixel_o', 'CompletePayment', 'o1', $1, repeat('c', 64), 30, 'EUR', '{}', $1)
            """))
        {
            legacy.Parameters.Add(new NpgsqlParameter { Value = now });
            await legacy.ExecuteNonQueryAsync();
        }
        await store.RecordAsync([Fact("org_l", "pixel_l", "l2", now.AddSeconds(1)) with { Value = 99m }, Fact("org_l", "pixel_l", "l3", now.AddSeconds(1))], default);

        var read = (await store.QueryAsync("org_l", ["CompletePayment"], now.AddHours(-1), default)).OrderBy(f => f.EventId).ToArray();
        var totals = await store.BuyerTotalsAsync("org_l", new TikTokAds.Contracts.Segments.SegmentDefinition("buyers", ["CompletePayment"], 30, 1, null, "EUR", [], ["email"], null, null, "instant", 3), now.AddHours(-1), default);

        Assert.Equal(["l1", "l2", "l3"], read.Select(f => f.EventId));
        Assert.Equal(20m, read[1].Value);
        Assert.Equal(["ticket"], read[0].ContentIds);
        // l1 and l3 share a buyer (email aaa…): two events, 20 EUR; l2's buyer one event, 20 EUR.
        Assert.Equal([(2, 20m), (1, 20m)], totals.OrderByDescending(t => t.Events).Select(t => (t.Events, t.Value)));
        Assert.Equal(4L, await store.DeleteOrganizerAsync("org_l", default));
        Assert.Empty(await store.QueryAsync("org_l", ["CompletePayment"], now.AddHours(-1), default));
        Assert.Single(await store.QueryAsync("org_other", ["CompletePayment"], now.AddHours(-1), default));
    }

    [Fact]
    public async Task The_purge_deletes_packs_past_the_cut_off_and_writes_a_straddling_pack_again_without_its_older_facts()
    {
        var store = new PostgresBuyerFactStore(_dataSource);
        var now = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);
        BuyerFact At(string organizer, string id, int daysAgo) => Fact(organizer, "pixel_p", id, now.AddDays(-daysAgo)) with { AcceptedAt = now };
        // org_d takes the default cut-off (100 days), org_o its own (10 days).
        await store.RecordAsync([At("org_d", "old1", 150), At("org_d", "old2", 120)], default);
        await store.RecordAsync([At("org_d", "mixed_old", 120), At("org_d", "mixed_new", 50), At("org_o", "o_old", 20), At("org_o", "o_new", 5)], default);
        await store.RecordAsync([At("org_d", "new", 1)], default);

        var purged = await store.PurgeAsync(now.AddDays(-100), new Dictionary<string, DateTimeOffset> { ["org_o"] = now.AddDays(-10) }, default);
        var again = await store.PurgeAsync(now.AddDays(-100), new Dictionary<string, DateTimeOffset> { ["org_o"] = now.AddDays(-10) }, default);

        Assert.Equal(4L, purged);
        Assert.Equal(0L, again);
        Assert.Equal(["pixel_p:mixed_new", "pixel_p:new"], await FactsOfAsync("org_d"));
        Assert.Equal(["pixel_p:o_new"], await FactsOfAsync("org_o"));
        Assert.Equal((2L, 2L), await PacksOfAsync("org_d"));
        await using var bounds = _dataSource.CreateCommand("SELECT first_event_time, last_event_time FROM buyer_fact_packs WHERE organizer_id = 'org_o'");
        await using var reader = await bounds.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((now.AddDays(-5), now.AddDays(-5)), (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1)));
    }

    [Fact]
    public async Task Facts_read_back_as_they_were_recorded_with_and_without_their_optional_values()
    {
        var store = new PostgresBuyerFactStore(_dataSource);
        var now = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);
        BuyerFact[] facts =
        [
            // A content id may hold any character, the unit separator (U+001F) included.
            Fact("org_r", "pixel_r", "r1", now) with { PhoneSha256 = new string('b', 64), Value = 59.90m, ContentIds = ["ticket-ga", "ticket\u001fvip", "x"] },
            Fact("org_r", "pixel_r", "r2", now.AddMinutes(-5)) with { EmailSha256 = null, PhoneSha256 = new string('c', 64), Value = null, Currency = null, ContentIds = [] },
        ];

        await store.RecordAsync(facts, default);

        var read = (await store.QueryAsync("org_r", ["CompletePayment"], now.AddHours(-1), default)).OrderBy(f => f.EventId).ToArray();
        Assert.Equal(2, read.Length);
        for (var i = 0; i < facts.Length; i++)
        {
            Assert.Equal(facts[i] with { ContentIds = [] }, read[i] with { ContentIds = [] });
            Assert.Equal(facts[i].ContentIds, read[i].ContentIds);
        }
    }

    [Theory]
    [InlineData(PostgresEventStore.DefaultCopyFrom - 1)]
    [InlineData(PostgresEventStore.DefaultCopyFrom)]
    public async Task A_write_either_side_of_the_copy_threshold_packs_its_facts_in_its_transaction_and_a_fact_recorded_before_is_read_once(int events)
    {
        using var retaken = new RetakenWrites();
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, retaken.Metrics);
        var now = DateTimeOffset.UtcNow;
        var organizer = $"org_t{events}";
        var ids = Enumerable.Range(0, events).Select(i => $"t{i}").ToArray();
        await new PostgresBuyerFactStore(_dataSource).RecordAsync([Fact(organizer, "pixel_t", ids[0], now)], default);

        // New events with a few facts, one of them already recorded: no write is taken again for it.
        var seqs = await store.AppendAsync($"{organizer}/pixel_t", [.. ids.Select(id => Purchase(id))], [.. ids.Take(10).Select(id => Fact(organizer, "pixel_t", id, now))], now, Window, default);

        Assert.All(seqs, seq => Assert.NotNull(seq));
        Assert.Equal(ids, (await store.LoadPendingAsync($"{organizer}/pixel_t", 2 * events, default)).Select(e => e.EventId));
        Assert.Equal(10, (await FactsOfAsync(organizer)).Length);
        Assert.Equal((2L, 11L), await PacksOfAsync(organizer));
        Assert.Empty(retaken.ByTable);
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task A_fact_is_recorded_only_with_its_events_first_insert_not_for_a_duplicate_or_a_pair_taken_over_after_its_window(int copyFrom)
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);
        BuyerFact Paid(string id, DateTimeOffset at, decimal value) => Fact("org_o", "pixel_o", id, at) with { Value = value };

        var first = await store.AppendAsync("org_o/pixel_o", [Purchase("o1")], [Paid("o1", now, 10m)], now, Window, default);
        var duplicate = await store.AppendAsync("org_o/pixel_o", [Purchase("o1"), Purchase("o2")], [Paid("o1", now.AddHours(1), 20m), Paid("o2", now.AddHours(1), 5m)], now.AddHours(1), Window, default);
        var takenOver = await store.AppendAsync("org_o/pixel_o", [Purchase("o1")], [Paid("o1", now.AddHours(49), 30m)], now.AddHours(49), Window, default);

        Assert.NotNull(first[0]);
        Assert.Null(duplicate[0]);
        Assert.NotNull(duplicate[1]);
        Assert.NotNull(takenOver[0]);
        Assert.NotEqual(first[0], takenOver[0]);
        Assert.Equal((2L, 2L), await PacksOfAsync("org_o"));
        var read = (await new PostgresBuyerFactStore(_dataSource).QueryAsync("org_o", ["CompletePayment"], now.AddDays(-1), default)).OrderBy(f => f.EventId).ToArray();
        Assert.Equal([("o1", 10m), ("o2", 5m)], read.Select(f => (f.EventId, f.Value!.Value)));
    }

    /// <summary>tiktokads.store.writes.retaken of one <see cref="DomainMetrics"/>, by table; other tests' meters are not heard.</summary>
    private sealed class RetakenWrites : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _byTable = new();

        public RetakenWrites()
        {
            var factory = _services.GetRequiredService<IMeterFactory>();
            Metrics = new DomainMetrics(factory);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "tiktokads.store.writes.retaken")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "table")
                    {
                        _byTable.AddOrUpdate((string)tag.Value!, value, (_, sum) => sum + value);
                    }
                }
            });
            _listener.Start();
        }

        public DomainMetrics Metrics { get; }

        public Dictionary<string, long> ByTable => new(_byTable);

        public void Dispose()
        {
            _listener.Dispose();
            _services.Dispose();
        }
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task An_event_taken_again_after_the_window_gets_a_new_sequence_number_and_a_test_event_ignores_the_window(int copyFrom)
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = DateTimeOffset.UtcNow;
        const string pixel = "org_w/pixel_w";

        var first = await store.AppendAsync(pixel, [Purchase("w1")], [], now - Window - TimeSpan.FromMinutes(1), Window, default);
        var inWindow = await store.AppendAsync(pixel, [Purchase("w2")], [], now, Window, default);
        var after = await store.AppendAsync(pixel, [Purchase("w1")], [], now, Window, default);
        var test = await store.AppendAsync(pixel, [Purchase("w2", "TEST123")], [], now.AddSeconds(1), TimeSpan.Zero, default);

        Assert.NotNull(after[0]);
        Assert.NotEqual(first[0], after[0]);
        Assert.NotNull(test[0]);
        Assert.NotEqual(inWindow[0], test[0]);
        Assert.Equal("TEST123", Assert.Single(await store.LoadPendingAsync(pixel, 10, default), e => e.EventId == "w2").TestEventCode);
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task A_value_the_database_refuses_fails_only_the_append_that_carried_it(int copyFrom)
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = DateTimeOffset.UtcNow;
        // Hold the only write slot until every append below is queued behind it, so they share the next write.
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE pixel_events IN EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        var blocked = store.AppendAsync("org_x/pixel_first", [Purchase("f1")], [], now, Window, default);
        var good = new[] { "org_x/pixel_a", "org_x/pixel_b", "org_x/pixel_c" }.Select(p => store.AppendAsync(p, [Purchase("g1"), Purchase("g2")], [], now, Window, default)).ToArray();
        // PostgreSQL refuses a NUL character in text.
        var bad = store.AppendAsync("org_x/pixel_bad", [Purchase("bad\0id")], [], now, Window, default);
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);
        await transaction.CommitAsync();

        Assert.NotNull((await blocked)[0]);
        foreach (var append in good)
        {
            Assert.All(await append, seq => Assert.NotNull(seq));
        }
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.Equal(2, (await store.LoadPendingAsync("org_x/pixel_b", 10, default)).Count);
        Assert.Empty(await store.LoadPendingAsync("org_x/pixel_bad", 10, default));
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task Facts_go_and_fail_with_their_events_half_and_the_retry_after_a_half_refused_records_each_fact_once(int copyFrom)
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, PostgresEventStore.SplitFrom).Select(i => $"f{i}").ToArray();
        BuyerFact[] FactsOf(string pixel, IEnumerable<string> chosen) => [.. chosen.Select(id => Fact("org_f", pixel, id, now))];

        // PostgreSQL refuses a NUL character in text. A small write's events and facts fail together.
        await Assert.ThrowsAsync<PostgresException>(() => store.AppendAsync("org_f/pixel_small", [Purchase("s1"), Purchase("bad\0id")], FactsOf("pixel_small", ["s1"]), now, Window, default));
        Assert.Empty(await store.LoadPendingAsync("org_f/pixel_small", 10, default));
        Assert.Equal((0L, 0L), await PacksOfAsync("org_f"));

        // A large write's facts go with their events' half: the half refused takes its facts with it, the other half
        // is stored with its own, and the retry stores the rest with theirs.
        var firstRefused = await Assert.ThrowsAsync<TikTokAds.Contracts.ServiceUnavailableException>(() => store.AppendAsync("org_f/pixel_first",
            [.. ids.Select((id, i) => Purchase(i == 0 ? "bad\0id" : id))], FactsOf("pixel_first", ids), now, Window, default));
        var secondRefused = await Assert.ThrowsAsync<TikTokAds.Contracts.ServiceUnavailableException>(() => store.AppendAsync("org_f/pixel_second",
            [.. ids.Select((id, i) => Purchase(i == ids.Length - 1 ? "bad\0id" : id))], FactsOf("pixel_second", ids), now, Window, default));
        Assert.IsType<PostgresException>(firstRefused.InnerException);
        Assert.IsType<PostgresException>(secondRefused.InnerException);
        Assert.Equal(ids[(ids.Length / 2)..], (await store.LoadPendingAsync("org_f/pixel_first", 2 * ids.Length, default)).Select(e => e.EventId));
        Assert.Equal(ids[..(ids.Length / 2)], (await store.LoadPendingAsync("org_f/pixel_second", 2 * ids.Length, default)).Select(e => e.EventId));
        Assert.Equal((2L, (long)ids.Length), await PacksOfAsync("org_f"));

        var retry = await store.AppendAsync("org_f/pixel_second", [.. ids.Select(id => Purchase(id))], FactsOf("pixel_second", ids), now.AddSeconds(1), Window, default);

        Assert.All(retry.Take(ids.Length / 2), seq => Assert.Null(seq));
        Assert.All(retry.Skip(ids.Length / 2), seq => Assert.NotNull(seq));
        Assert.Equal((3L, 3L * ids.Length / 2), await PacksOfAsync("org_f"));
        var read = await FactsOfAsync("org_f");
        Assert.Equal(ids[(ids.Length / 2)..].Select(id => $"pixel_first:{id}").Concat(ids.Select(id => $"pixel_second:{id}")).Order(StringComparer.Ordinal), read);
    }

    [Theory]
    [InlineData(Copied)]
    [InlineData(Statement)]
    public async Task A_large_write_goes_in_two_parts_at_once_each_event_with_its_own_seq_and_a_value_refused_in_one_part_leaves_the_other_stored_as_an_outage(int copyFrom)
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1, copyFrom: copyFrom);
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, PostgresEventStore.SplitFrom).Select(i => $"s{i}").ToArray();
        NewEvent[] Events(IEnumerable<string> chosen) => [.. chosen.Select(id => Purchase(id))];
        async Task<Dictionary<string, long>> PendingAsync(string pixel) => (await store.LoadPendingAsync(pixel, 2 * ids.Length, default)).ToDictionary(e => e.EventId, e => e.Seq);

        // One event stored earlier in each half's range: each half answers its own duplicate.
        await store.AppendAsync("org_s/pixel_one", Events([ids[3], ids[^3]]), [], now, Window, default);
        var seqs = await store.AppendAsync("org_s/pixel_one", Events(ids), [], now, Window, default);
        var pending = await PendingAsync("org_s/pixel_one");
        Assert.Equal([3, ids.Length - 3], Enumerable.Range(0, ids.Length).Where(i => seqs[i] is null));
        Assert.All(Enumerable.Range(0, ids.Length).Where(i => seqs[i] is not null), i => Assert.Equal(pending[ids[i]], seqs[i]));
        Assert.Equal(ids.Length, pending.Values.Distinct().Count());

        // Two pixels' appends held behind a running write share the next one, and the first straddles its halves.
        Task<IReadOnlyList<long?>> a, b;
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE pixel_events IN EXCLUSIVE MODE", connection, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }
            var blocked = store.AppendAsync("org_s/pixel_first", Events(["b1"]), [], now, Window, default);
            a = store.AppendAsync("org_s/pixel_a", Events(ids[..700]), [], now, Window, default);
            b = store.AppendAsync("org_s/pixel_b", Events(ids[..500]), [], now, Window, default);
            await Task.Delay(200);
            await transaction.CommitAsync();
            await blocked;
        }
        foreach (var (pixel, answer) in new[] { ("org_s/pixel_a", await a), ("org_s/pixel_b", await b) })
        {
            var rows = await PendingAsync(pixel);
            Assert.Equal(answer.Count, rows.Count);
            Assert.All(Enumerable.Range(0, answer.Count), i => Assert.Equal(rows[ids[i]], answer[i]));
        }

        // PostgreSQL refuses a NUL character in text: the second half fails, the first is stored, and the caller hears
        // an outage (503) rather than a refusal; its retry finds the first half stored.
        var refused = await Assert.ThrowsAsync<TikTokAds.Contracts.ServiceUnavailableException>(() =>
            store.AppendAsync("org_s/pixel_bad", Events(ids.Select((id, i) => i == ids.Length - 1 ? "bad\0id" : id)), [], now, Window, default));
        Assert.IsType<PostgresException>(refused.InnerException);
        Assert.Equal(ids[..(ids.Length / 2)], (await store.LoadPendingAsync("org_s/pixel_bad", 2 * ids.Length, default)).Select(e => e.EventId));
        var retry = await store.AppendAsync("org_s/pixel_bad", Events(ids), [], now.AddSeconds(1), Window, default);
        Assert.All(retry.Take(ids.Length / 2), seq => Assert.Null(seq));
        Assert.All(retry.Skip(ids.Length / 2), seq => Assert.NotNull(seq));
    }

    [Fact]
    public async Task A_copy_failing_in_this_process_part_way_is_cancelled_its_own_error_comes_out_nothing_is_stored_and_its_connection_takes_the_next_write()
    {
        // The store's only connection: the write after the failure runs on the connection whose COPY was cut short.
        await using var single = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString) { MaxPoolSize = 1 }.ConnectionString);
        var store = new PostgresEventStore(single, writesInFlight: 1, copyFrom: Copied);
        var now = DateTimeOffset.UtcNow;
        NewEvent[] Good() => [.. Enumerable.Range(0, 900).Select(i => Purchase($"g{i}"))];
        // A row is at least its 63 bytes of counts, lengths, bigint and time, its payload, pixel key and event name.
        Assert.True(Good().Sum(e => 63 + e.Payload.Utf8.Length + "org_k/pixel_good".Length + e.EventName.Length) > BinaryCopyRows.BlockBytes, "the good rows fill a block");
        async Task<int> BackendAsync()
        {
            await using var connection = await single.OpenConnectionAsync();
            return connection.ProcessID;
        }
        var backend = await BackendAsync();
        // Stored already: had the rows sent before the failure been completed, PostgreSQL would refuse this one's key.
        Assert.NotNull((await store.AppendAsync("org_k/pixel_good", [Purchase("g0")], [], now, Window, default))[0]);
        Task<IReadOnlyList<long?>> good, bad;
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE pixel_events IN EXCLUSIVE MODE", connection, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }
            var blocked = store.AppendAsync("org_k/pixel_first", [Purchase("k1")], [], now, Window, default);
            // Held behind the running write, both share the next COPY: the good pixel's rows fill at least a block,
            // sent before the bad pixel's time, not in UTC, fails the encoder.
            good = store.AppendAsync("org_k/pixel_good", Good(), [], now, Window, default);
            bad = store.AppendAsync("org_k/pixel_bad", [Purchase("b1")], [], now.ToOffset(TimeSpan.FromHours(2)), Window, default);
            await Task.Delay(200);
            Assert.False(good.IsCompleted);
            await transaction.CommitAsync();
            await blocked;
        }

        // The encoder's own error: not the cancel's 57014, and not the unique violation the rows sent would have met,
        // which would have sent the write into a retry with ON CONFLICT.
        const string Encoder = "A timestamptz is written from a UTC value";
        Assert.StartsWith(Encoder, (await Assert.ThrowsAsync<ArgumentException>(() => good)).Message, StringComparison.Ordinal);
        Assert.StartsWith(Encoder, (await Assert.ThrowsAsync<ArgumentException>(() => bad)).Message, StringComparison.Ordinal);
        await using (var count = _dataSource.CreateCommand("SELECT count(*) FROM pixel_events WHERE pixel_key IN ('org_k/pixel_good', 'org_k/pixel_bad')"))
        {
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }
        Assert.Equal(backend, await BackendAsync());
        var again = await store.AppendAsync("org_k/pixel_good", Good(), [], now, Window, default);
        Assert.Null(again[0]);
        Assert.All(again.Skip(1), seq => Assert.NotNull(seq));
        Assert.Equal(900, (await store.LoadPendingAsync("org_k/pixel_good", 1000, default)).Count);
    }

    [Fact]
    public async Task Delivered_events_are_not_rewritten_yet_read_as_delivered_with_their_request_and_only_events_still_waiting_are_loaded()
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1);
        var now = DateTimeOffset.UtcNow;
        const string pixel = "org_h/pixel_h";
        var seqs = (await store.AppendAsync(pixel, [.. Enumerable.Range(0, 20).Select(i => Purchase($"h{i}"))], [], now, Window, default)).Select(s => s!.Value).ToArray();
        var stored = await RowVersionsAsync(pixel);

        // Two requests, the second one's seqs inside the first one's range (as after a replay), and a dead letter.
        await store.MarkDeliveredAsync(pixel, Request([.. seqs[..10].Where(s => s != seqs[4])], now) with { RequestId = "req-a" }, now.AddSeconds(1), default);
        await store.MarkDeliveredAsync(pixel, Request([seqs[4], .. seqs[10..15]], now) with { RequestId = "req-b" }, now.AddSeconds(2), default);
        await store.MarkFailedAsync(pixel, seqs[15..17], 40002, "invalid", "req-f", now, default);
        Assert.Equal(seqs[17..], (await store.LoadPendingAsync(pixel, 100, default)).Select(e => e.Seq));

        // The delivered rows are the versions the append stored: the settle wrote no new one.
        var after = await RowVersionsAsync(pixel);
        Assert.All(seqs[..15], seq => Assert.Equal(stored[seq], after[seq]));
        Assert.All(seqs[15..17], seq => Assert.NotEqual(stored[seq], after[seq]));
        var read = (await store.LatestAsync(pixel, 100, default)).ToDictionary(r => r.EventId);
        Assert.Equal((EventStatuses.Delivered, "req-a", now.AddSeconds(1).ToUnixTimeMilliseconds(), 0, "OK", 1),
            (read["h3"].Status, read["h3"].RequestId, read["h3"].DeliveredAt!.Value.ToUnixTimeMilliseconds(), read["h3"].Code, read["h3"].Message, read["h3"].Attempts));
        Assert.Equal((EventStatuses.Delivered, "req-b"), (read["h4"].Status, read["h4"].RequestId));
        // req-b's range holds h5's seq too, but its seqs do not: h5 went in req-a.
        Assert.Equal((EventStatuses.Delivered, "req-a"), (read["h5"].Status, read["h5"].RequestId));
        Assert.Equal((EventStatuses.Failed, "req-f", (DateTimeOffset?)null), (read["h15"].Status, read["h15"].RequestId, read["h15"].DeliveredAt));
        Assert.Equal((EventStatuses.Accepted, (string?)null), (read["h17"].Status, read["h17"].RequestId));
        var found = Assert.Single(await store.FindAsync(pixel, "h12", default));
        Assert.Equal((EventStatuses.Delivered, "req-b", now.AddSeconds(2).ToUnixTimeMilliseconds()), (found.Status, found.RequestId, found.DeliveredAt!.Value.ToUnixTimeMilliseconds()));
        Assert.Equal(new Dictionary<string, long> { [EventStatuses.Delivered] = 15, [EventStatuses.Failed] = 2, [EventStatuses.Accepted] = 3 },
            await store.CountByStatusAsync(pixel, default));

        // A failure that arrives for an event already delivered leaves it delivered.
        await store.MarkFailedAsync(pixel, seqs[..2], 40002, "late", "req-late", now, default);
        Assert.Equal(EventStatuses.Delivered, Assert.Single(await store.FindAsync(pixel, "h0", default)).Status);

        var revived = await store.ReviveAsync(pixel, seqs[15..17], default);
        Assert.Equal(seqs[15..17], revived.Select(e => e.Seq));
        Assert.Equal(seqs[15..], (await store.LoadPendingAsync(pixel, 100, default)).Select(e => e.Seq));
        Assert.Equal(5L, await ScalarAsync("SELECT count(*) FROM pixel_pending WHERE pixel_key = $1", pixel));
        Assert.Equal(new Dictionary<string, long> { [EventStatuses.Delivered] = 15, [EventStatuses.Accepted] = 5 }, await store.CountByStatusAsync(pixel, default));
    }

    [Fact]
    public async Task Seqs_with_gaps_and_seqs_in_one_run_each_settle_exactly_their_own_events()
    {
        // A run of seqs is matched by its range alone, seqs with gaps by the list: both must pick exactly their rows.
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1);
        var now = DateTimeOffset.UtcNow;
        const string pixel = "org_r/pixel_r";
        var seqs = (await store.AppendAsync(pixel, [.. Enumerable.Range(0, 12).Select(i => Purchase($"r{i}"))], [], now, Window, default)).Select(s => s!.Value).ToArray();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => seqs[0] + i), seqs);

        await store.MarkDeliveredAsync(pixel, Request([seqs[0], seqs[2], seqs[4]], now), now, default);
        await store.MarkDeliveredAsync(pixel, Request(seqs[5..8], now), now, default);
        await store.MarkFailedAsync(pixel, [seqs[11], seqs[9]], 40002, "invalid", "req-f", now, default);

        Assert.Equal([seqs[1], seqs[3], seqs[8], seqs[10]], (await store.LoadPendingAsync(pixel, 100, default)).Select(e => e.Seq));
        Assert.Equal(4L, await ScalarAsync("SELECT count(*) FROM pixel_pending WHERE pixel_key = $1", pixel));
        Assert.Equal(6L, (await store.CountByStatusAsync(pixel, default))[EventStatuses.Delivered]);
        Assert.Equal([seqs[9], seqs[11]], (await store.ReviveAsync(pixel, [seqs[9], seqs[10], seqs[11]], default)).Select(e => e.Seq));
        Assert.Equal([seqs[3], seqs[4], seqs[5]], (await store.PayloadsAsync(pixel, seqs[3..6], default)).Keys.Order());
        Assert.Equal([seqs[3], seqs[5]], (await store.PayloadsAsync(pixel, [seqs[5], seqs[3]], default)).Keys.Order());
    }

    [Fact]
    public async Task Settles_of_many_pixels_sharing_writes_each_mark_only_their_own_events_delivered()
    {
        // One write at a time, so the settles below queue behind each other and share writes.
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1);
        var now = DateTimeOffset.UtcNow;
        var pixels = Enumerable.Range(0, 30).Select(p => $"org_s/pixel_{p}").ToArray();
        // Every pixel uses the same event ids: only the pixel tells their rows apart.
        var seqs = await Task.WhenAll(pixels.Select(async p =>
            (await store.AppendAsync(p, [.. Enumerable.Range(0, 10).Select(i => Purchase($"s{i}"))], [], now, Window, default)).Select(s => s!.Value).ToArray()));

        await Task.WhenAll(pixels.Select((p, i) => store.MarkDeliveredAsync(p, Request(seqs[i][..6], now) with { RequestId = $"req-{i}" }, now.AddSeconds(i), default)));

        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(seqs[i][6..], (await store.LoadPendingAsync(pixels[i], 100, default)).Select(e => e.Seq));
            var delivered = Assert.Single(await store.FindAsync(pixels[i], "s5", default));
            Assert.Equal((EventStatuses.Delivered, $"req-{i}", now.AddSeconds(i).ToUnixTimeMilliseconds()), (delivered.Status, delivered.RequestId, delivered.DeliveredAt!.Value.ToUnixTimeMilliseconds()));
            Assert.Equal(EventStatuses.Accepted, Assert.Single(await store.FindAsync(pixels[i], "s6", default)).Status);
            var request = Assert.Single(await store.RequestsAsync(pixels[i], new RequestLogQuery(), default));
            Assert.Equal(seqs[i][..6], request.Seqs);
            Assert.Equal($"req-{i}", request.RequestId);
        }
        Assert.Equal(120L, await ScalarAsync("SELECT count(*) FROM pixel_pending WHERE pixel_key LIKE 'org_s/%'", null));
    }

    [Fact]
    public async Task A_load_returns_the_oldest_waiting_events_in_order_and_pending_rows_that_bring_nothing_do_not_shorten_it()
    {
        // The load reads the next waiting seqs, then their events: pending rows whose events moved on (taken again,
        // settled) must not cut it short, or events past the limit would wait until the pixel's next activation.
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1);
        var now = DateTimeOffset.UtcNow;
        const string pixel = "org_l/pixel_l";
        // Another pixel's appends in between leave gaps in this pixel's seqs, as a busy node's do.
        var taken = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            taken.Add((await store.AppendAsync(pixel, [Purchase($"l{i}")], [], now, Window, default))[0]!.Value);
            await store.AppendAsync("org_l/other", [Purchase($"l{i}")], [], now, Window, default);
        }
        var seqs = taken.ToArray();
        await store.MarkFailedAsync(pixel, seqs[..5], 40002, "invalid", "req-f", now, default);
        // Ten pending rows ahead of every waiting event that match no accepted event, as the purge would find them:
        // five whose events were taken again under new seqs (no row has their seq), five of dead letters.
        await using (var command = _dataSource.CreateCommand("INSERT INTO pixel_pending (pixel_key, seq) SELECT $1, unnest($2::bigint[])"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = pixel });
            command.Parameters.Add(new NpgsqlParameter { Value = (long[])[-5, -4, -3, -2, -1, .. seqs[..5]] });
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(seqs[5..9], (await store.LoadPendingAsync(pixel, 4, default)).Select(e => e.Seq));
        Assert.Equal(seqs[5..], (await store.LoadPendingAsync(pixel, 100, default)).Select(e => e.Seq));
        Assert.Equal(["l5", "l6"], (await store.LoadPendingAsync(pixel, 2, default)).Select(e => e.EventId));
        Assert.Equal(12, (await store.LoadPendingAsync("org_l/other", 100, default)).Count);
        Assert.Empty(await store.LoadPendingAsync("org_l/nothing", 100, default));
    }

    [Fact]
    public async Task Past_retention_the_purge_removes_delivered_and_failed_events_and_keeps_every_event_still_waiting_and_counts_read_delivered_ones()
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1);
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-40);
        const string pixel = "org_p/pixel_p";
        var seqs = (await store.AppendAsync(pixel, [Purchase("p1"), Purchase("p2"), Purchase("p3"), Purchase("p4", "TEST1")], [], old, Window, default)).Select(s => s!.Value).ToArray();
        await store.MarkDeliveredAsync(pixel, Request([seqs[0], seqs[3]], old), old, default);
        await store.MarkFailedAsync(pixel, [seqs[2]], 40002, "invalid", "req-f", old, default);

        // Reconciliation counts delivered events without test codes: p1 only (p2 waits, p3 failed, p4 is a test).
        var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(1_795_300_000).UtcDateTime);
        Assert.Equal([new DeliveredCount(day, "CompletePayment", 1)], await store.CountDeliveredByDayAsync(pixel, day, day, default));

        await store.PurgeAsync(now.AddDays(-30), now.AddDays(-30), default);

        Assert.Equal(["p2"], (await store.LatestAsync(pixel, 10, default)).Select(r => r.EventId));
        Assert.Equal([seqs[1]], (await store.LoadPendingAsync(pixel, 10, default)).Select(e => e.Seq));
    }

    [Fact]
    public async Task The_purge_removes_the_pending_row_an_event_taken_again_left_behind()
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1);
        var now = DateTimeOffset.UtcNow;
        const string pixel = "org_o/pixel_o";
        var old = await store.AppendAsync(pixel, [Purchase("o1")], [], now - Window - TimeSpan.FromMinutes(1), Window, default);
        var again = await store.AppendAsync(pixel, [Purchase("o1")], [], now, Window, default);

        Assert.Equal([again[0]!.Value], (await store.LoadPendingAsync(pixel, 10, default)).Select(e => e.Seq));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM pixel_pending WHERE pixel_key = $1", pixel));
        await store.PurgeAsync(now - TimeSpan.FromDays(30), now - TimeSpan.FromDays(30), default);
        Assert.Equal(again[0], await ScalarAsync("SELECT seq FROM pixel_pending WHERE pixel_key = $1", pixel));
        Assert.NotEqual(old[0], again[0]);
    }

    [Fact]
    public async Task Request_signals_count_each_pixels_own_outcomes_delivered_hours_and_waiting_events()
    {
        var store = new PostgresEventStore(_dataSource, writesInFlight: 1);
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        const string busy = "org_r/PX1", idle = "org_r/PX2", other = "org_q/PX1";
        var seqs = (await store.AppendAsync(busy, [.. Enumerable.Range(0, 10).Select(i => Purchase($"r{i}"))], [], now, Window, default)).Select(s => s!.Value).ToArray();
        var otherSeq = (await store.AppendAsync(other, [Purchase("q1")], [], now, Window, default))[0]!.Value;
        await store.MarkDeliveredAsync(busy, Request(seqs[..6], now), now, default);
        await store.MarkDeliveredAsync(busy, Request(seqs[6..8], now.AddHours(-26)), now, default);
        await store.RecordRequestAsync(busy, Request(seqs[8..], now) with { Outcome = "throttled", Code = 40100 }, default);
        await store.MarkDeliveredAsync(other, Request([otherSeq], now), now, default);
        await store.RecordRequestAsync(idle, Request([], now.AddDays(-9)), default);

        var signals = await store.RequestSignalsAsync([busy, idle], now.AddMinutes(-15), now.AddDays(-8), default);

        Assert.Equal([busy, idle], signals.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, long> { ["success"] = 1, ["throttled"] = 1 }, signals[busy].Outcomes);
        Assert.Equal(new Dictionary<DateTimeOffset, long> { [hour] = 6, [hour.AddHours(-26)] = 2 }, signals[busy].DeliveredByHour);
        Assert.True(signals[busy].Waiting);
        Assert.Empty(signals[idle].Outcomes);
        Assert.Empty(signals[idle].DeliveredByHour);
        Assert.False(signals[idle].Waiting);

        // The purge keeps hours as long as the request log; the migration counts a log written before the hours existed.
        await store.PurgeAsync(now.AddHours(-2), now.AddDays(-30), default);
        Assert.Equal(new Dictionary<DateTimeOffset, long> { [hour] = 6 }, (await store.RequestSignalsAsync([busy], now, now.AddDays(-8), default))[busy].DeliveredByHour);
        await using (var forget = _dataSource.CreateCommand("DELETE FROM pixel_delivered_hours; DELETE FROM schema_migrations WHERE name LIKE '0015%'"))
        {
            await forget.ExecuteNonQueryAsync();
        }
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default);
        Assert.Equal(6L, await ScalarAsync("SELECT events FROM pixel_delivered_hours WHERE pixel_key = $1", busy));
        Assert.Equal(1L, await ScalarAsync("SELECT events FROM pixel_delivered_hours WHERE pixel_key = $1", other));
    }

    [Fact]
    public async Task Events_stored_before_0019_keep_their_key_under_the_new_column_order_and_are_found_by_id_without_the_dropped_index()
    {
        var name = await TestPostgres.CreateDatabaseAsync("event_key_upgrade");
        await using var dataSource = NpgsqlDataSource.Create(name);
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default, before: "0019");
        var store = new PostgresEventStore(dataSource);
        var now = DateTimeOffset.UtcNow;
        var before = await store.AppendAsync("org_k/pixel_k", [Purchase("k1"), Purchase("k2"), Viewed("k1")], [], now, Window, default);

        Assert.Contains("0019_pixel_events_key_by_id.sql", await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default));

        await using (var key = dataSource.CreateCommand("SELECT pg_get_indexdef('pixel_events_pkey'::regclass), to_regclass('pixel_events_by_id') IS NULL"))
        await using (var reader = await key.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.EndsWith("(pixel_key, event_id, event_name)", reader.GetString(0));
            Assert.True(reader.GetBoolean(1));
        }
        // The pairs stored before are still the key: sent again they are duplicates; the same id under a new name is not.
        var again = await store.AppendAsync("org_k/pixel_k", [Purchase("k1"), Viewed("k2"), Viewed("k1")], [], now.AddSeconds(1), Window, default);
        Assert.Null(again[0]);
        Assert.NotNull(again[1]);
        Assert.Null(again[2]);
        Assert.All(before, seq => Assert.NotNull(seq));
        Assert.Equal(["CompletePayment", "ViewContent"], (await store.FindAsync("org_k/pixel_k", "k1", default)).Select(r => r.EventName));
        Assert.Equal(["CompletePayment", "ViewContent"], (await store.FindAsync("org_k/pixel_k", "k2", default)).Select(r => r.EventName));
    }

    private static SentRequest Request(long[] seqs, DateTimeOffset now)
        => new(0, now, "success", 0, "OK", "req-1", 12, ["CompletePayment"], "web", null, null, seqs);

    /// <summary>Each row's version (its xmin and place in the heap), by seq.</summary>
    private async Task<Dictionary<long, string>> RowVersionsAsync(string pixel)
    {
        await using var command = _dataSource.CreateCommand("SELECT seq, xmin::text || ctid::text FROM pixel_events WHERE pixel_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = pixel });
        var versions = new Dictionary<long, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions[reader.GetInt64(0)] = reader.GetString(1);
        }
        return versions;
    }

    private async Task<object?> ScalarAsync(string sql, string? pixel)
    {
        await using var command = _dataSource.CreateCommand(sql);
        if (pixel is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = pixel });
        }
        return await command.ExecuteScalarAsync();
    }
}
