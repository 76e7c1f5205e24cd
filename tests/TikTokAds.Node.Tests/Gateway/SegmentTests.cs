using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Grains.Events;
using TikTokAds.Testing;
using TikTokAds.Grains.Segments;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Segments from real purchases to the sandbox's TikTok audience, through a node on a real PostgreSQL.</summary>
public sealed class SegmentTests(SegmentGatewayFactory factory) : IClassFixture<SegmentGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    /// <summary>One purchase as the platform sends it; Phone null for buyers who gave none.</summary>
    private sealed record Purchase(int Buyer, string? Phone, decimal Value, string Currency, TimeSpan Age, bool Consent = true);

    private static string Email(int buyer) => $"buyer{buyer}@fans.example";

    private static string? Phone(int buyer) => buyer % 3 == 0 ? $"+40 722 {buyer:000 000}" : null;

    /// <summary>600 buyers and 1,000 purchases: buyers 0-199 buy three times, the others once, at various values, ages and currencies.</summary>
    private static List<Purchase> Purchases()
    {
        var random = new Random(15);
        decimal[] values = [20m, 45m, 80m, 120m, 210m, 250m];
        TimeSpan[] ages = [TimeSpan.FromHours(2), TimeSpan.FromHours(20), TimeSpan.FromHours(50), TimeSpan.FromHours(100), TimeSpan.FromHours(130)];
        var purchases = new List<Purchase>();
        for (var buyer = 0; buyer < 600; buyer++)
        {
            for (var n = 0; n < (buyer < 200 ? 3 : 1); n++)
            {
                purchases.Add(new Purchase(buyer, Phone(buyer), values[random.Next(values.Length)], random.Next(10) == 0 ? "RON" : "EUR", ages[random.Next(ages.Length)]));
            }
        }
        return purchases;
    }

    private static JsonObject Event(Purchase p, int n) => new()
    {
        ["event_type"] = "CompletePayment",
        ["event_time"] = (DateTimeOffset.UtcNow - p.Age).ToUnixTimeSeconds(),
        ["event_id"] = $"order_{n}",
        ["user"] = new JsonObject { ["email"] = Email(p.Buyer), ["phone"] = p.Phone },
        ["properties"] = new JsonObject { ["value"] = p.Value, ["currency"] = p.Currency, ["contents"] = new JsonArray(new JsonObject { ["content_id"] = "ticket-ga", ["quantity"] = 1 }) },
        ["consent"] = new JsonObject { ["granted"] = p.Consent },
    };

    /// <summary>The truth, computed here: 2+ purchases or at least 200 EUR within the window, as email and phone hashes.</summary>
    private static HashSet<string> Qualifying(IEnumerable<Purchase> purchases, TimeSpan window)
        => [.. purchases.Where(p => p.Consent && p.Age < window).GroupBy(p => p.Buyer)
            .Where(g => g.Count() >= 2 || g.Where(p => p.Currency == "EUR").Sum(p => p.Value) >= 200m)
            .SelectMany(g => new[] { $"EMAIL_SHA256:{PiiNormalizer.Email(Email(g.Key))}" }.Concat(g.Key % 3 == 0 ? [$"PHONE_SHA256:{PiiNormalizer.Phone(Phone(g.Key), null)}"] : []))];

    private static async Task SendAsync(HttpClient client, IReadOnlyList<Purchase> purchases, int firstOrder)
    {
        foreach (var chunk in purchases.Select((p, i) => Event(p, firstOrder + i)).Chunk(500))
        {
            using var response = await GatewayFactory.PostBatchAsync(client, chunk);
            // 200 when nothing in the batch is to be sent (all without consent).
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static JsonObject Definition(string advertiser, int lookbackDays) => new()
    {
        ["name"] = "2+ purchases or 200 EUR", ["event_names"] = new JsonArray("CompletePayment"), ["lookback_days"] = lookbackDays, ["min_events"] = 2, ["min_value"] = 200,
        ["currency"] = "EUR", ["identifiers"] = new JsonArray("email", "phone"), ["advertiser_id"] = advertiser, ["schedule"] = "instant",
    };

    private async Task<(HttpClient Client, string Advertiser)> OrganizerAsync(string name)
    {
        var (key, _, _) = await factory.PixelAsync(name);
        var client = factory.As(key);
        var connection = await client.GetFromJsonAsync<JsonObject>($"{Api}/connection");
        return (client, (string)connection!["advertiser_id"]!);
    }

    private static async Task<JsonObject> WaitForRunsAsync(HttpClient client, string segmentId, int finished)
    {
        JsonObject view = null!;
        for (var i = 0; i < 600; i++)
        {
            view = (await client.GetFromJsonAsync<JsonObject>($"{Api}/segments/{segmentId}"))!;
            if (view["runs"]!.AsArray().Count(r => (string?)r!["status"] is "done" or "failed") >= finished)
            {
                return view;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"fewer than {finished} run(s) finished: {view}");
        return view;
    }

    [Fact]
    public async Task A_segment_of_real_buyers_holds_exactly_the_qualifying_hashes_and_later_runs_change_only_the_difference()
    {
        var (client, advertiser) = await OrganizerAsync("Segment buyers");
        var purchases = Purchases();
        // Without consent: these would qualify on value, and must not.
        var withoutConsent = Enumerable.Range(400, 30).Select(b => new Purchase(b, null, 900m, "EUR", TimeSpan.FromHours(2), Consent: false)).ToList();
        await SendAsync(client, [.. purchases, .. withoutConsent], 0);

        using var created = await client.PostAsJsonAsync($"{Api}/segments", Definition(advertiser, 30));
        var segmentId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var first = await WaitForRunsAsync(client, segmentId, 1);
        var audience = await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{(string)first["audience_id"]!}");
        var tiktokId = (string)audience!["tiktok_audience_id"]!;
        var afterFirst = factory.Sandbox.AudienceMembers(tiktokId);

        // 50 new purchases (25 by one-time buyers, 25 by new buyers), and a window of 3 days instead of 30.
        var more = Enumerable.Range(300, 25).Concat(Enumerable.Range(600, 25)).Select(b => new Purchase(b, Phone(b), 60m, "EUR", TimeSpan.FromHours(1))).ToList();
        await SendAsync(client, more, 10_000);
        using var changed = await client.PutAsJsonAsync($"{Api}/segments/{segmentId}", Definition(advertiser, 3));
        var second = await WaitForRunsAsync(client, segmentId, 2);
        var afterSecond = factory.Sandbox.AudienceMembers(tiktokId);

        var expectedFirst = Qualifying(purchases, TimeSpan.FromDays(30));
        var expectedSecond = Qualifying([.. purchases, .. more], TimeSpan.FromDays(3));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.True(expectedFirst.Count > 300, $"the data should qualify many buyers, not {expectedFirst.Count}");
        Assert.Equal(expectedFirst, afterFirst);
        var firstRun = first["runs"]![0]!;
        Assert.Equal(("done", expectedFirst.Count, 0), ((string?)firstRun["status"], (int)firstRun["added"]!, (int)firstRun["removed"]!));
        Assert.Equal(expectedFirst.Count, (int)firstRun["members"]!);
        Assert.Equal(expectedSecond, afterSecond);
        var secondRun = second["runs"]![0]!;
        var added = expectedSecond.Except(expectedFirst).Count();
        var removed = expectedFirst.Except(expectedSecond).Count();
        Assert.True(added > 0 && removed > 0, $"the change should both add and remove: +{added} -{removed}");
        Assert.Equal(("done", "changed", added, removed), ((string?)secondRun["status"], (string?)secondRun["trigger"], (int)secondRun["added"]!, (int)secondRun["removed"]!));
        Assert.Equal(expectedSecond.Count, (int)second["size"]!["members"]!);
        Assert.Equal(2, second["runs"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_change_made_while_a_run_is_under_way_is_applied_by_a_run_that_follows_it()
    {
        var (client, advertiser) = await OrganizerAsync("Segment change mid-run");
        var purchases = Enumerable.Range(0, 40).SelectMany(b => Enumerable.Repeat(new Purchase(b, null, 10m, "EUR", TimeSpan.FromHours(1)), b < 10 ? 2 : 1)).ToList();
        await SendAsync(client, purchases, 0);

        // The new audience is still processing at TikTok (a second in the sandbox) when the change arrives.
        using var created = await client.PostAsJsonAsync($"{Api}/segments", Definition(advertiser, 30));
        var segment = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var everyone = Definition(advertiser, 30);
        everyone["min_events"] = 1;
        using var changed = await client.PutAsJsonAsync($"{Api}/segments/{(string)segment["id"]!}", everyone);
        var view = await WaitForRunsAsync(client, (string)segment["id"]!, 2);
        var audience = await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{(string)segment["audience_id"]!}");

        Assert.Equal("running", (string?)segment["runs"]![0]!["status"]);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(40, factory.Sandbox.AudienceMembers((string)audience!["tiktok_audience_id"]!).Count);
        Assert.Equal(["changed", "created"], view["runs"]!.AsArray().Select(r => (string?)r!["trigger"]));
    }

    [Fact]
    public async Task Only_hashes_of_buyers_reach_storage_and_logs()
    {
        var (client, advertiser) = await OrganizerAsync("Segment storage");
        var buyers = new[] { new Purchase(9, Phone(9), 300m, "EUR", TimeSpan.FromHours(1)), new Purchase(9, Phone(9), 300m, "EUR", TimeSpan.FromHours(2)) };
        await SendAsync(client, buyers, 0);
        using var created = await client.PostAsJsonAsync($"{Api}/segments", Definition(advertiser, 30));
        var segmentId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await WaitForRunsAsync(client, segmentId, 1);

        Assert.False(await Storage.ContainsAsync(factory.Postgres, Email(9)), "raw email stored");
        Assert.False(await Storage.ContainsAsync(factory.Postgres, Phone(9)!), "raw phone stored");
        Assert.False(await Storage.ContainsAsync(factory.Postgres, "40722000009"), "phone digits stored");
        Assert.True(await Storage.ContainsAsync(factory.Postgres, PiiNormalizer.Email(Email(9))!), "the hashed email is not where segments read it");
        Assert.DoesNotContain(Email(9), factory.Logs.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("40722000009", factory.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_sizes_a_definition_without_saving_it_and_deleting_buyer_data_empties_it()
    {
        var (client, _) = await OrganizerAsync("Segment preview");
        await SendAsync(client, [new Purchase(1, null, 250m, "EUR", TimeSpan.FromHours(1)), new Purchase(2, Phone(3), 10m, "EUR", TimeSpan.FromHours(1))], 0);
        var definition = Definition("7000", 30);

        var before = await client.PostAsJsonAsync($"{Api}/segments/preview", definition);
        var size = (await before.Content.ReadFromJsonAsync<JsonObject>())!;
        using var deleted = await client.DeleteAsync($"{Api}/buyer-data");
        var deletedCount = (long)(await deleted.Content.ReadFromJsonAsync<JsonObject>())!["deleted"]!;
        var after = (await (await client.PostAsJsonAsync($"{Api}/segments/preview", definition)).Content.ReadFromJsonAsync<JsonObject>())!;
        var listed = await client.GetFromJsonAsync<JsonArray>($"{Api}/segments");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal((1, 1, 1), ((int)size["total"]!, (int)size["valid"]!, (int)size["members"]!));
        Assert.Equal(2, deletedCount);
        Assert.Equal(0, (int)after["total"]!);
        Assert.Empty(listed!);
    }

    [Fact]
    public async Task A_segment_bound_to_an_existing_audience_is_listed_run_on_demand_and_deleted_without_its_audience()
    {
        var (client, advertiser) = await OrganizerAsync("Segment existing audience");
        using var audience = await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject { ["advertiser_id"] = advertiser, ["custom_audience_name"] = "Existing" });
        var audienceId = (string)(await audience.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var definition = Definition(advertiser, 30);
        definition["audience_id"] = audienceId;
        definition["schedule"] = "daily";
        definition["hour_utc"] = 4;

        using var created = await client.PostAsJsonAsync($"{Api}/segments", definition);
        var segment = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var segmentId = (string)segment["id"]!;
        var reminder = await DailyReminderAsync(segmentId);
        using var sync = await client.PostAsync($"{Api}/segments/{segmentId}/sync", null);
        var run = (await WaitForRunsAsync(client, segmentId, 1))["runs"]![0]!;
        var listed = await client.GetFromJsonAsync<JsonArray>($"{Api}/segments");
        JsonObject onDashboard;
        using (var admin = factory.Admin())
        {
            onDashboard = (await admin.GetFromJsonAsync<JsonObject>("/dashboard/api/audiences"))!["segments"]!.AsArray().Single(r => (string?)r!["segment"]!["id"] == segmentId)!.AsObject();
        }
        using var deleted = await client.DeleteAsync($"{Api}/segments/{segmentId}");
        using var gone = await client.GetAsync($"{Api}/segments/{segmentId}");
        using var audienceStays = await client.GetAsync($"{Api}/audiences/{audienceId}");
        var reminderAfterDelete = await DailyReminderAsync(segmentId);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((audienceId, 4), ((string?)segment["audience_id"], (int)segment["hour_utc"]!));
        Assert.Equal(4, DateTimeOffset.Parse((string)segment["next_run_at"]!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.Hour);
        Assert.Empty(segment["runs"]!.AsArray());
        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);
        Assert.Equal(("manual", "done"), ((string?)run["trigger"], (string?)run["status"]));
        Assert.Contains(listed!, s => (string?)s!["id"] == segmentId);
        Assert.Equal("Segment existing audience", (string?)onDashboard["organizer_name"]);
        Assert.Equal(audienceId, (string?)onDashboard["segment"]!["audience_id"]);
        Assert.Equal("manual", (string?)onDashboard["segment"]!["runs"]![0]!["trigger"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, audienceStays.StatusCode);
        Assert.Equal((4, 0, 86_400_000L), (reminder!.Value.Start.UtcDateTime.Hour, reminder.Value.Start.Minute, reminder.Value.PeriodMs));
        Assert.Null(reminderAfterDelete);
    }

    /// <summary>The segment's daily reminder as Orleans stored it: first due time and period.</summary>
    private async Task<(DateTimeOffset Start, long PeriodMs)?> DailyReminderAsync(string segmentId)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(factory.Postgres);
        await using var command = dataSource.CreateCommand("SELECT start_time, period_ms FROM orleans_reminders WHERE reminder_name = 'daily' AND grain_id LIKE '%' || $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = segmentId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1)) : null;
    }

    [Fact]
    public async Task Retention_purges_buyer_facts_in_postgresql_past_the_default_or_the_organizers_override()
    {
        var store = factory.Services.GetRequiredService<IBuyerFactStore>();
        var now = DateTimeOffset.UtcNow;
        BuyerFact Fact(string organizer, int daysAgo) => new(organizer, "PX", "Purchase", $"{organizer}_{daysAgo}", now.AddDays(-daysAgo), "e", null, 10m, "EUR", ["vip", "ga"], now);
        await store.RecordAsync([Fact("org_retaina", 10), Fact("org_retaina", 179), Fact("org_retaina", 181), Fact("org_retainb", 10), Fact("org_retainb", 31)], default);
        var options = new SegmentOptions { RetentionOverrides = { ["org_retainb"] = TimeSpan.FromDays(30) } };

        await BuyerDataRetention.PurgeAsync(store, options, now, default);

        var a = await store.QueryAsync("org_retaina", ["Purchase"], now.AddYears(-1), default);
        var b = await store.QueryAsync("org_retainb", ["Purchase"], now.AddYears(-1), default);
        Assert.Equal(["org_retaina_10", "org_retaina_179"], a.Select(f => f.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(["org_retainb_10"], b.Select(f => f.EventId));
        Assert.Equal(["vip", "ga"], b[0].ContentIds);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("vip", "EUR")]
    [InlineData("ga", "RON")]
    public async Task PostgreSQL_counts_buyers_as_the_rule_does(string? contentId, string? currency)
    {
        var store = factory.Services.GetRequiredService<IBuyerFactStore>();
        var now = DateTimeOffset.UtcNow;
        var organizer = $"org_parity{contentId}{currency}".ToLowerInvariant();
        var random = new Random(7);
        var facts = Enumerable.Range(0, 400).Select(n => new BuyerFact(
            organizer, n % 2 == 0 ? "PXA" : "PXB", n % 7 == 0 ? "AddToCart" : "CompletePayment", $"e{n}", now.AddDays(-random.Next(0, 40)),
            n % 5 == 0 ? null : $"email{random.Next(60)}", n % 3 == 0 ? $"phone{random.Next(60)}" : null,
            n % 11 == 0 ? null : random.Next(1, 300), n % 4 == 0 ? "RON" : "EUR", n % 6 == 0 ? ["vip"] : n % 6 == 1 ? ["ga", "vip"] : ["ga"], now))
            .Where(f => f.EmailSha256 is not null || f.PhoneSha256 is not null).ToList();
        await store.RecordAsync(facts, default);
        var definition = new Contracts.Segments.SegmentDefinition("Parity", ["CompletePayment"], 30, 2, 200m, currency, contentId is null ? [] : [contentId], ["email", "phone"], null, null, "instant", 3);
        static string Line(BuyerTotal t) => $"{t.Email}|{string.Join(',', t.Phones.Order(StringComparer.Ordinal))}|{t.Events}|{t.Value:0.##}";

        var stored = await store.BuyerTotalsAsync(organizer, definition, now.AddDays(-30), default);
        var computed = SegmentRule.Totals(definition, facts, now.AddDays(-30));

        Assert.True(computed.Count > 20, $"only {computed.Count} buyers");
        Assert.Equal(computed.Select(Line).Order(StringComparer.Ordinal), stored.Select(Line).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Another_organizers_audience_or_an_unknown_one_is_a_404()
    {
        var (client, advertiser) = await OrganizerAsync("Segment unknown audience");
        var definition = Definition(advertiser, 30);
        definition["audience_id"] = "aud_0000000000000000";

        using var response = await client.PostAsJsonAsync($"{Api}/segments", definition);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
    }

    public static TheoryData<string, string, string> BadDefinitions => new()
    {
        { "no name", """{"event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"advertiser_id":"7000"}""", "name" },
        { "name too long", "{\"name\":\"" + new string('n', 129) + "\",\"event_names\":[\"CompletePayment\"],\"lookback_days\":30,\"min_events\":2,\"advertiser_id\":\"7000\"}", "name" },
        { "no event names", """{"name":"n","event_names":[],"lookback_days":30,"min_events":2,"advertiser_id":"7000"}""", "event_names" },
        { "null event name", """{"name":"n","event_names":[null],"lookback_days":30,"min_events":2,"advertiser_id":"7000"}""", "event_names" },
        { "no look-back", """{"name":"n","event_names":["CompletePayment"],"min_events":2,"advertiser_id":"7000"}""", "lookback_days" },
        { "look-back of 0", """{"name":"n","event_names":["CompletePayment"],"lookback_days":0,"min_events":2,"advertiser_id":"7000"}""", "lookback_days" },
        { "look-back over a year", """{"name":"n","event_names":["CompletePayment"],"lookback_days":366,"min_events":2,"advertiser_id":"7000"}""", "lookback_days" },
        { "neither minimum", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"advertiser_id":"7000"}""", "min_events" },
        { "min_events of 0", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":0,"advertiser_id":"7000"}""", "min_events" },
        { "negative min_value", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_value":-5,"currency":"EUR","advertiser_id":"7000"}""", "min_value" },
        { "min_value without currency", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_value":200,"advertiser_id":"7000"}""", "currency" },
        { "bad currency", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_value":200,"currency":"EURO","advertiser_id":"7000"}""", "currency" },
        { "empty content id", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"content_ids":[""],"advertiser_id":"7000"}""", "content_ids" },
        { "unknown identifier", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"identifiers":["idfa"],"advertiser_id":"7000"}""", "identifiers" },
        { "repeated identifier", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"identifiers":["email","email"],"advertiser_id":"7000"}""", "identifiers" },
        { "no identifier", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"identifiers":[],"advertiser_id":"7000"}""", "identifiers" },
        { "neither advertiser nor audience", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2}""", "advertiser_id" },
        { "advertiser not digits", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"advertiser_id":"adv-1"}""", "advertiser_id" },
        { "bad audience id", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"audience_id":"../x"}""", "audience_id" },
        { "unknown schedule", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"advertiser_id":"7000","schedule":"hourly"}""", "schedule" },
        { "hour out of range", """{"name":"n","event_names":["CompletePayment"],"lookback_days":30,"min_events":2,"advertiser_id":"7000","schedule":"daily","hour_utc":24}""", "hour_utc" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task An_invalid_definition_is_a_400_problem_naming_the_field(string rule, string body, string field)
    {
        var (_, key) = await factory.CreateOrganizerAsync($"Bad segment {rule}");
        using var client = factory.As(key);

        using var response = await client.PostAsync($"{Api}/segments", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{rule}: {response.StatusCode}");
        Assert.Equal("invalid_request", (string?)problem["code"]);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"{rule}: {problem}");
    }
}
