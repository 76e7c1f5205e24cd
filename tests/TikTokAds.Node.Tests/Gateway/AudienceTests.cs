using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>Audiences from the public API to the sandbox, through a node on a real PostgreSQL.</summary>
public sealed class AudienceTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";

    private static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static IEnumerable<string> Emails(int from, int count, string domain = "fans.example") => Enumerable.Range(from, count).Select(i => $"fan{i}@{domain}");

    private async Task<(HttpClient Client, string AudienceId, string TikTokId)> AudienceAsync(string name)
    {
        var (key, _, _) = await factory.PixelAsync(name);
        var client = factory.As(key);
        var connection = await client.GetFromJsonAsync<JsonObject>($"{Api}/connection");
        using var created = await client.PostAsJsonAsync($"{Api}/audiences", new JsonObject
        {
            ["advertiser_id"] = (string)connection!["advertiser_id"]!, ["custom_audience_name"] = name, ["audience_type"] = "CUSTOMER_FILE", ["id_schema"] = new JsonArray("EMAIL_SHA256"),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        return (client, (string)body["id"]!, (string)body["tiktok_audience_id"]!);
    }

    private static Task<HttpResponseMessage> SyncAsync(HttpClient client, string audienceId, string action, IEnumerable<string> emails, string trigger = "instant")
        => client.PostAsJsonAsync($"{Api}/audiences/{audienceId}/sync", new JsonObject
        {
            ["action"] = action, ["id_schema"] = new JsonArray("EMAIL_SHA256"), ["trigger"] = trigger,
            ["members"] = new JsonArray([.. emails.Select(e => (JsonNode)new JsonArray(e))]),
        });

    private HashSet<string> SandboxMembers(string tiktokId)
    {
        var audience = factory.Sandbox.State.Audiences.Find(tiktokId)!;
        lock (factory.Sandbox.State.Audiences.Sync)
        {
            return [.. audience.Members];
        }
    }

    private static HashSet<string> Expected(IEnumerable<string> emails) => [.. emails.Select(e => $"EMAIL_SHA256:{Sha(e)}")];

    private async Task<JsonObject> WaitForRunsAsync(HttpClient client, string audienceId, int done)
    {
        JsonObject view = null!;
        for (var i = 0; i < 300; i++)
        {
            view = (await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}"))!;
            if (view["runs"]!.AsArray().Count(r => (string?)r!["status"] is "done" or "failed") >= done)
            {
                return view;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"fewer than {done} run(s) finished: {view}");
        return view;
    }

    [Fact]
    public async Task A_sync_sent_while_tiktok_processes_a_new_audience_is_applied_once_it_is_ready()
    {
        var (client, audienceId, tiktokId) = await AudienceAsync("Processing first");

        var created = await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}");
        using var queued = await SyncAsync(client, audienceId, "APPEND", Emails(0, 10));
        var ready = await WaitForRunsAsync(client, audienceId, 1);

        Assert.Equal("processing", (string?)created!["status"]);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal("ready", (string?)ready["status"]);
        Assert.Equal(Expected(Emails(0, 10)), SandboxMembers(tiktokId));
    }

    [Fact]
    public async Task Append_25000_remove_5000_and_replace_leave_exactly_the_expected_members()
    {
        var (client, audienceId, tiktokId) = await AudienceAsync("Big list");

        (await SyncAsync(client, audienceId, "APPEND", Emails(0, 25_000))).EnsureSuccessStatusCode();
        await WaitForRunsAsync(client, audienceId, 1);
        var afterAppend = SandboxMembers(tiktokId).Count;
        (await SyncAsync(client, audienceId, "REMOVE", Emails(0, 5000))).EnsureSuccessStatusCode();
        await WaitForRunsAsync(client, audienceId, 2);
        var afterRemove = SandboxMembers(tiktokId).Count;
        var replacement = Emails(20_000, 3000).Concat(Emails(0, 2000, "new.example")).ToList();
        (await SyncAsync(client, audienceId, "REPLACE", replacement)).EnsureSuccessStatusCode();
        var view = await WaitForRunsAsync(client, audienceId, 3);

        Assert.Equal(25_000, afterAppend);
        Assert.Equal(20_000, afterRemove);
        Assert.Equal(Expected(replacement), SandboxMembers(tiktokId));
        Assert.Equal(5000, (long)view["members"]!);
        var replace = view["runs"]!.AsArray().First(r => (string?)r!["action"] == "REPLACE")!;
        Assert.Equal(5000, (int)replace["uploaded"]!);
        Assert.Equal(17_000, (int)replace["removed"]!);
    }

    [Fact]
    public async Task Invalid_emails_are_dropped_and_counted_in_the_run()
    {
        var (client, audienceId, tiktokId) = await AudienceAsync("Some invalid");

        using var response = await SyncAsync(client, audienceId, "APPEND", Emails(0, 8).Concat(["not-an-email", "", "also@bad"]));
        var accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var run = (await WaitForRunsAsync(client, audienceId, 1))["runs"]![0]!;

        Assert.Equal(11, (int)accepted["total"]!);
        Assert.Equal(8, (int)accepted["valid"]!);
        Assert.Equal(3, (int)accepted["invalid"]!);
        Assert.Equal(11, (int)run["total"]!);
        Assert.Equal(8, (int)run["valid"]!);
        Assert.Equal(8, (int)run["uploaded"]!);
        Assert.Equal(8, SandboxMembers(tiktokId).Count);
    }

    [Fact]
    public async Task Raw_and_pre_hashed_members_leave_identical_contents_at_tiktok()
    {
        var (rawClient, rawAudience, rawTikTok) = await AudienceAsync("Raw");
        var (hashedClient, hashedAudience, hashedTikTok) = await AudienceAsync("Hashed");
        var emails = Emails(0, 50).Select(e => i(e)).ToList();

        await SyncAsync(rawClient, rawAudience, "APPEND", emails);
        await SyncAsync(hashedClient, hashedAudience, "APPEND", emails.Select(e => Sha(e.Trim().ToLowerInvariant()).ToUpperInvariant()));
        await WaitForRunsAsync(rawClient, rawAudience, 1);
        await WaitForRunsAsync(hashedClient, hashedAudience, 1);

        Assert.Equal(SandboxMembers(rawTikTok), SandboxMembers(hashedTikTok));
        Assert.Equal(50, SandboxMembers(rawTikTok).Count);

        // Raw input with stray case and spaces, as platforms send it.
        static string i(string e) => $"  {e.ToUpperInvariant()} ";
    }

    [Fact]
    public async Task A_lookalike_needs_a_source_of_100_members()
    {
        var (client, audienceId, _) = await AudienceAsync("Lookalike source");
        await SyncAsync(client, audienceId, "APPEND", Emails(0, 99));
        await WaitForRunsAsync(client, audienceId, 1);

        using var tooSmall = await client.PostAsJsonAsync($"{Api}/audiences/{audienceId}/lookalike", new JsonObject { ["audience_size"] = "BALANCED", ["location_ids"] = new JsonArray("798549") });
        await SyncAsync(client, audienceId, "APPEND", Emails(99, 1));
        await WaitForRunsAsync(client, audienceId, 2);
        using var created = await client.PostAsJsonAsync($"{Api}/audiences/{audienceId}/lookalike", new JsonObject { ["audience_size"] = "BALANCED", ["location_ids"] = new JsonArray("798549") });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooSmall.StatusCode);
        Assert.Equal("lookalike_source_too_small", (string?)(await tooSmall.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Single((await created.Content.ReadFromJsonAsync<JsonObject>())!["lookalikes"]!.AsArray());
    }

    [Fact]
    public async Task Audiences_are_listed_and_deleted_here_and_at_tiktok()
    {
        var (client, audienceId, tiktokId) = await AudienceAsync("Short lived");

        var listed = await client.GetFromJsonAsync<JsonArray>($"{Api}/audiences");
        using var deleted = await client.DeleteAsync($"{Api}/audiences/{audienceId}");
        using var gone = await client.GetAsync($"{Api}/audiences/{audienceId}");

        Assert.Contains(listed!, a => (string?)a!["id"] == audienceId);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Null(factory.Sandbox.State.Audiences.Find(tiktokId));
    }

    public static TheoryData<string, string> BadSyncs => new()
    {
        { "unknown id_schema", """{"action":"APPEND","id_schema":["IDFA_MD5"],"members":[["x"]]}""" },
        { "repeated id_schema", """{"action":"APPEND","id_schema":["EMAIL_SHA256","EMAIL_SHA256"],"members":[["a@x.com","b@x.com"]]}""" },
        { "empty id_schema", """{"action":"APPEND","id_schema":[],"members":[]}""" },
        { "row too wide", """{"action":"APPEND","id_schema":["EMAIL_SHA256"],"members":[["a@x.com","+40721234567"]]}""" },
        { "row too narrow", """{"action":"APPEND","id_schema":["EMAIL_SHA256","PHONE_SHA256"],"members":[["a@x.com"]]}""" },
        { "row not an array", """{"action":"APPEND","id_schema":["EMAIL_SHA256"],"members":["a@x.com"]}""" },
        { "unknown action", """{"action":"DELETE","id_schema":["EMAIL_SHA256"],"members":[["a@x.com"]]}""" },
        { "no action", """{"id_schema":["EMAIL_SHA256"],"members":[["a@x.com"]]}""" },
        { "no members", """{"action":"APPEND","id_schema":["EMAIL_SHA256"]}""" },
        { "unknown trigger", """{"action":"APPEND","id_schema":["EMAIL_SHA256"],"members":[["a@x.com"]],"trigger":"hourly"}""" },
        { "too many members", "{\"action\":\"APPEND\",\"id_schema\":[\"EMAIL_SHA256\"],\"members\":[" + string.Join(',', Enumerable.Repeat("[\"a@x.com\"]", 100_001)) + "]}" },
        { "invalid JSON", """{"action":"APPEND","members":[[""" },
    };

    [Theory]
    [MemberData(nameof(BadSyncs))]
    public async Task A_malformed_sync_is_a_400_problem(string rule, string body)
    {
        var (client, audienceId, _) = await AudienceAsync($"Bad sync {rule}");

        using var response = await client.PostAsync($"{Api}/audiences/{audienceId}/sync", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{rule}: {response.StatusCode}");
        Assert.Equal("invalid_request", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
    }

    [Fact]
    public async Task The_dashboard_lists_an_audience_under_the_same_field_names_as_the_api()
    {
        var (client, audienceId, tiktokId) = await AudienceAsync("Dashboard names");
        var api = (await client.GetFromJsonAsync<JsonObject>($"{Api}/audiences/{audienceId}"))!;
        using var admin = factory.Admin();

        var rows = (await admin.GetFromJsonAsync<JsonObject>("/dashboard/api/audiences"))!["audiences"]!.AsArray();
        var listed = rows.Single(r => (string)r!["audience"]!["id"]! == audienceId)!["audience"]!.AsObject();

        Assert.Equal(tiktokId, (string)listed["tiktok_audience_id"]!);
        Assert.Equal(api.Select(p => p.Key).Order(), listed.Select(p => p.Key).Order());
    }
}
