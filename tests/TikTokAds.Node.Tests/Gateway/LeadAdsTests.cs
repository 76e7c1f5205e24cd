using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Testing;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// Issue 8 end to end: OAuth through the sandbox's consent page, ad accounts, and leads from the sandbox's
/// LEAD webhook (delivered over real HTTP to this node) to a local call-back receiver.
/// </summary>
public sealed class LeadAdsTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>
{
    private const string Api = "/api/integrations/tiktok-ads";
    private const string ReceiverSecret = LeadFlow.ReceiverSecret;
    private readonly LeadFlow _flow = new(factory);

    [Fact]
    public async Task An_oauth_round_trip_stores_an_encrypted_token_and_lists_the_advertisers_with_statuses_and_roles()
    {
        var (_, key) = await factory.CreateOrganizerAsync("OAuth organizer");
        using var client = factory.As(key);

        var (completed, advertisers) = await _flow.ConnectAsync(client, "oauth-user");
        var accounts = (await client.GetFromJsonAsync<JsonObject>($"{Api}/ad-accounts"))!["ad_accounts"]!.AsArray();
        using var synced = await client.PostAsync($"{Api}/ad-accounts/sync", null);
        var token = factory.Sandbox.State.Grants.All.Single(g => g.AdvertiserIds.Contains(advertisers[0])).AccessToken;

        Assert.Equal("connected", (string)completed["status"]!);
        Assert.Equal(12, accounts.Count);
        Assert.Equal(AdvertiserStatuses.All.Order(), accounts.Select(a => (string)a!["status"]!).Order());
        Assert.Equal(AdvertiserRoles.All.Order(), accounts.Select(a => (string)a!["role"]!).Distinct().Order());
        Assert.All(accounts, a => Assert.False(string.IsNullOrEmpty((string?)a!["name"])));
        Assert.All(accounts, a => Assert.False(string.IsNullOrEmpty((string?)a!["company"])));
        Assert.True((bool)(await synced.Content.ReadFromJsonAsync<JsonObject>())!["complete"]!);
        Assert.False(await Storage.ContainsAsync(factory.Postgres, token), "the plaintext OAuth token is in the database");
        Assert.DoesNotContain(token, await client.GetStringAsync($"{Api}/oauth/authorizations"), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reused_auth_code_or_state_is_rejected_with_a_clear_error()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Replaying organizer");
        using var client = factory.As(key);
        var (callback, query) = await _flow.ConsentAsync(client, "replay-user");
        using (var first = await client.GetAsync(callback))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var sameState = await client.GetAsync(callback);
        var (_, freshQuery) = await _flow.ConsentAsync(client, "replay-user");
        using var sameCode = await client.GetAsync($"{Api}/oauth/callback?state={Uri.EscapeDataString(freshQuery["state"]!)}&auth_code={Uri.EscapeDataString(query["auth_code"]!)}");
        using var forged = await client.GetAsync($"{Api}/oauth/callback?state=org_0000.forged&auth_code=x");
        using var missing = await client.GetAsync($"{Api}/oauth/callback?state={Uri.EscapeDataString(freshQuery["state"]!)}");

        await AssertProblemAsync(sameState, HttpStatusCode.Conflict, "oauth_state_used");
        await AssertProblemAsync(sameCode, HttpStatusCode.BadRequest, "oauth_code_rejected");
        await AssertProblemAsync(forged, HttpStatusCode.BadRequest, "oauth_state_unknown");
        await AssertProblemAsync(missing, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Single((await client.GetFromJsonAsync<JsonArray>($"{Api}/oauth/authorizations"))!);
    }

    [Fact]
    public async Task A_lead_delivered_twice_is_forwarded_once_with_the_configured_utm_tags()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var (client, advertiser) = await _flow.LeadOrganizerAsync("Twice organizer", "twice-user", receiver);
        const string ad = "1800000000000000001";
        await LeadFlow.ConfigureAdAsync(client, ad, advertiser);
        using (var subscribed = await client.PostAsJsonAsync($"{Api}/leads/subscriptions", new JsonObject { ["advertiser_id"] = advertiser }))
        {
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        }

        var leadId = await _flow.AddLeadAsync(advertiser, ad, deliveries: 2);
        await LeadFlow.EventuallyAsync(async () => (string?)(await LeadFlow.LeadAsync(client, leadId))?["lead"]?["status"] == "forwarded");
        await LeadFlow.EventuallyAsync(() => Task.FromResult(factory.Sandbox.State.Leads.Deliveries().Count(d => d.LeadId == leadId && d.HttpStatus == 200) == 2));
        await Task.Delay(500);

        var call = Assert.Single(receiver.Calls);
        var body = JsonNode.Parse(call.Body)!;
        Assert.Equal(leadId, (string)body["lead_id"]!);
        Assert.Equal("tiktok", (string)body["utm"]!["utm_source"]!);
        Assert.Equal("spring-fest", (string)body["utm"]!["utm_campaign"]!);
        Assert.Equal("Call Ana Pop back about Festival pass", (string)body["text"]!);
        Assert.Equal("+40721234567", (string)body["phone"]!);
        Assert.Equal(leadId, call.Headers["idempotency-key"]);
        Assert.Equal(ExpectedSignature(call), call.Headers["x-tiktokads-signature"]);
        var lead = (await LeadFlow.LeadAsync(client, leadId))!["lead"]!;
        Assert.Equal(1, (int)lead["attempts"]!);
        Assert.Equal("Festival pass", (string)lead["form_name"]!);
        Assert.False(await Storage.ContainsAsync(factory.Postgres, "+40721234567"), "the raw phone number is in the database");
        Assert.False(await Storage.ContainsAsync(factory.Postgres, "Ana Pop"), "a raw answer is in the database after forwarding");
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("+40721234567", StringComparison.Ordinal) || l.Contains("Ana Pop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_callback_receiver_is_retried_and_the_lead_is_not_lost()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.FailNext(3);
        var (client, advertiser) = await _flow.LeadOrganizerAsync("Retry organizer", "retry-user", receiver);
        const string ad = "1800000000000000002";
        await LeadFlow.ConfigureAdAsync(client, ad, advertiser);
        await LeadFlow.SubscribeAsync(client, advertiser);

        var leadId = await _flow.AddLeadAsync(advertiser, ad);
        await LeadFlow.EventuallyAsync(async () => (string?)(await LeadFlow.LeadAsync(client, leadId))?["lead"]?["status"] == "forwarded");

        var detail = (await LeadFlow.LeadAsync(client, leadId))!;
        var deliveries = detail["deliveries"]!.AsArray();
        Assert.Equal(4, (int)detail["lead"]!["attempts"]!);
        Assert.Equal([500, 500, 500, 200], deliveries.Select(d => (int)d!["http_status"]!));
        Assert.Equal(4, receiver.Calls.Count);
        Assert.All(receiver.Calls, c => Assert.Equal(leadId, (string)JsonNode.Parse(c.Body)!["lead_id"]!));
    }

    [Fact]
    public async Task A_lead_for_an_unconfigured_ad_is_recorded_but_not_forwarded_and_the_reason_is_visible()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var (client, advertiser) = await _flow.LeadOrganizerAsync("Unconfigured organizer", "unconfigured-user", receiver);
        await LeadFlow.ConfigureAdAsync(client, "1800000000000000003", advertiser);
        await LeadFlow.SubscribeAsync(client, advertiser);

        var leadId = await _flow.AddLeadAsync(advertiser, "1899999999999999999");
        await LeadFlow.EventuallyAsync(async () => (await LeadFlow.LeadAsync(client, leadId)) is not null);
        var listed = (await client.GetFromJsonAsync<JsonArray>($"{Api}/leads?status=not_forwarded"))!.Single(l => (string)l!["lead_id"]! == leadId)!;
        await Task.Delay(500);

        Assert.Equal("not_forwarded", (string)listed["status"]!);
        Assert.Equal("ad_not_configured", (string)listed["reason"]!);
        Assert.Empty(receiver.Calls);

        // Once the ad is configured, the recorded lead can be sent after all.
        await LeadFlow.ConfigureAdAsync(client, "1899999999999999999", advertiser);
        using var retried = await client.PostAsync($"{Api}/leads/{leadId}/retry", null);
        Assert.Equal("pending", (string)(await retried.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        await LeadFlow.EventuallyAsync(() => Task.FromResult(receiver.Calls.Count == 1));
    }

    [Fact]
    public async Task Another_organizer_cannot_see_or_touch_the_leads()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var (owner, advertiser) = await _flow.LeadOrganizerAsync("Lead owner", "owner-user", receiver);
        await LeadFlow.ConfigureAdAsync(owner, "1800000000000000004", advertiser);
        await LeadFlow.SubscribeAsync(owner, advertiser);
        var leadId = await _flow.AddLeadAsync(advertiser, "1800000000000000004");
        await LeadFlow.EventuallyAsync(async () => (string?)(await LeadFlow.LeadAsync(owner, leadId))?["lead"]?["status"] == "forwarded");
        var (_, otherKey) = await factory.CreateOrganizerAsync("Nosy organizer");
        using var other = factory.As(otherKey);

        using var get = await other.GetAsync($"{Api}/leads/{leadId}");
        using var retry = await other.PostAsync($"{Api}/leads/{leadId}/retry", null);
        using var pull = await other.PostAsJsonAsync($"{Api}/leads/pull", new JsonObject { ["advertiser_id"] = advertiser, ["ad_id"] = "1800000000000000004" });
        var list = await other.GetStringAsync($"{Api}/leads");
        var forms = await other.GetStringAsync($"{Api}/leads/forms");
        var accounts = await other.GetStringAsync($"{Api}/ad-accounts");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, pull.StatusCode);
        Assert.DoesNotContain(leadId, list, StringComparison.Ordinal);
        Assert.DoesNotContain(advertiser, forms + accounts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missed_webhook_is_recovered_by_pulling_and_forms_count_their_leads()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var (client, advertiser) = await _flow.LeadOrganizerAsync("Pull organizer", "pull-user", receiver);
        const string ad = "1800000000000000005";
        await LeadFlow.ConfigureAdAsync(client, ad, advertiser);
        await factory.Sandbox.Admin.PostAsJsonAsync("sandbox/forms", new JsonObject { ["advertiser_id"] = advertiser, ["page_id"] = "7300000000000009001", ["title"] = "Festival pass" });
        // No subscription: TikTok has nowhere to send the webhook, so only a pull finds the lead.
        var leadId = await _flow.AddLeadAsync(advertiser, ad);

        using var pulled = await client.PostAsJsonAsync($"{Api}/leads/pull", new JsonObject { ["advertiser_id"] = advertiser, ["ad_id"] = ad });
        Assert.Equal(HttpStatusCode.Accepted, pulled.StatusCode);
        await LeadFlow.EventuallyAsync(async () => (string?)(await LeadFlow.LeadAsync(client, leadId))?["lead"]?["status"] == "forwarded");
        using var formsSynced = await client.PostAsJsonAsync($"{Api}/leads/forms/sync", new JsonObject { ["advertiser_id"] = advertiser });
        var form = (await client.GetFromJsonAsync<JsonArray>($"{Api}/leads/forms"))!.Single(f => (string)f!["page_id"]! == "7300000000000009001")!;
        var integration = (await client.GetFromJsonAsync<JsonObject>($"{Api}/leads/integration"))!;

        Assert.Equal("pull", (string)(await LeadFlow.LeadAsync(client, leadId))!["lead"]!["source"]!);
        Assert.Equal("Festival pass", (string)form["title"]!);
        Assert.Equal(1, (int)form["leads"]!);
        Assert.Equal(1, (int)form["forwarded"]!);
        Assert.Equal("done", (string)integration["pulls"]![0]!["status"]!);
        Assert.Equal(1, (int)integration["pulls"]![0]!["imported"]!);
    }

    [Fact]
    public async Task Typical_errors_show_as_clear_statuses_with_their_fix()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var (client, advertiser) = await _flow.LeadOrganizerAsync("Broken organizer", "broken-user", receiver);
        await LeadFlow.ConfigureAdAsync(client, "1800000000000000006", advertiser);
        using (var unknownAccount = await client.PutAsJsonAsync($"{Api}/leads/ads/1800000000000000007", new JsonObject { ["advertiser_id"] = "7999999999999999999" }))
        {
            Assert.Equal("misconfigured", (string)(await unknownAccount.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        }
        var token = factory.Sandbox.State.Grants.All.Single(g => g.AdvertiserIds.Contains(advertiser)).AccessToken;
        factory.Sandbox.State.Grants.Revoke(token);
        await client.PostAsync($"{Api}/ad-accounts/sync", null);
        var revoked = (await client.GetFromJsonAsync<JsonObject>($"{Api}/leads/integration"))!;

        var authorization = (string)(await client.GetFromJsonAsync<JsonArray>($"{Api}/oauth/authorizations"))![0]!["id"]!;
        using (var deleted = await client.DeleteAsync($"{Api}/oauth/authorizations/{authorization}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        var afterDelete = (await client.GetFromJsonAsync<JsonObject>($"{Api}/leads/integration"))!;

        Assert.Equal("reauthorization_required", (string)revoked["status"]!);
        Assert.Contains("Refresh the token", (string)revoked["problems"]![0]!["fix"]!, StringComparison.Ordinal);
        Assert.Equal("integration_deleted", (string)afterDelete["status"]!);
        Assert.Contains(afterDelete["ads"]!.AsArray(), a => (string)a!["status"]! == "integration_deleted" && ((string)a["fix"]!).Contains("new TikTok integration", StringComparison.Ordinal));
        Assert.Contains(afterDelete["ads"]!.AsArray(), a => (string)a!["status"]! == "misconfigured");
    }

    [Fact]
    public async Task Webhooks_with_a_bad_signature_or_body_are_refused()
    {
        using var anonymous = factory.CreateClient();
        var body = """{"object":{"lead_id":"1","advertiser_id":"7100000000000000001"}}""";
        using var unsigned = await anonymous.PostAsync("/webhooks/tiktok/leads", new StringContent(body, Encoding.UTF8, "application/json"));
        using var forged = await SendSignedAsync(anonymous, body, "wrong-secret", DateTimeOffset.UtcNow);
        using var stale = await SendSignedAsync(anonymous, body, KestrelGatewayFactory.SandboxAppSecret, DateTimeOffset.UtcNow.AddHours(-1));
        using var malformed = await SendSignedAsync(anonymous, """{"object":{"lead_id":"1"}}""", KestrelGatewayFactory.SandboxAppSecret, DateTimeOffset.UtcNow);
        using var notJson = await SendSignedAsync(anonymous, "lead!", KestrelGatewayFactory.SandboxAppSecret, DateTimeOffset.UtcNow);

        await AssertProblemAsync(unsigned, HttpStatusCode.Unauthorized, "invalid_signature");
        await AssertProblemAsync(forged, HttpStatusCode.Unauthorized, "invalid_signature");
        await AssertProblemAsync(stale, HttpStatusCode.Unauthorized, "invalid_signature");
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "invalid_request");
        await AssertProblemAsync(notJson, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_converted_lead_goes_to_tiktok_as_a_crm_event_with_its_lead_id()
    {
        var (key, pixel, _) = await factory.PixelAsync("CRM organizer");
        using var client = factory.As(key);
        var crm = GatewayFactory.Event(77, "CompletePayment");
        crm["event_source"] = "crm";
        crm["lead_id"] = "7300000000000000077";
        crm["context"] = new JsonObject();

        using var sent = await client.PostAsJsonAsync($"{Api}/events", crm);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await factory.WaitForSandboxAsync(pixel, 1);

        var received = (await factory.Sandbox.EventsAsync(pixel)).Single()!;
        Assert.Equal("crm", (string)received["event_source"]!);
        Assert.Equal("7300000000000000077", (string)received["body"]!["lead"]!["lead_id"]!);
    }

    private static string ExpectedSignature(ReceivedCall call)
    {
        var t = call.Headers["x-tiktokads-signature"].Split(',')[0][2..];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(ReceiverSecret), Encoding.UTF8.GetBytes($"{t}.{call.Body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private static async Task<HttpResponseMessage> SendSignedAsync(HttpClient client, string body, string secret, DateTimeOffset at)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/tiktok/leads") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-TikTok-Signature", TikTokAds.Sandbox.State.LeadWebhookSender.Sign(secret, at.ToUnixTimeSeconds(), body));
        return await client.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (string)JsonNode.Parse(body)!["code"]!);
    }

}
