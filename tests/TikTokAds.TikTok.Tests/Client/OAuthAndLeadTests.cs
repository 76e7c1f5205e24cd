using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TikTokAds.Sandbox.State;
using TikTokAds.Testing;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok.Tests.Client;

public sealed class OAuthAndLeadTests : IAsyncLifetime
{
    private SandboxHost _sandbox = null!;
    private TikTokBusinessClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(o => o.WebhookRetryDelay = TimeSpan.FromMilliseconds(50));
        _client = TestClients.Create(_sandbox.ApiBaseUrl, o => o.MaxRetries = 0);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<string> ConsentAsync()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _sandbox.BaseAddress };
        using var response = await noRedirects.GetAsync(new Uri("portal/auth?app_id=sandbox-app&state=s1&redirect_uri=https%3A%2F%2Fplatform.example%2Fcallback", UriKind.Relative));
        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Equal("s1", query["state"]);
        return query["auth_code"]!;
    }

    [Fact]
    public async Task An_auth_code_exchanges_once_for_a_token_that_sees_twelve_statuses_and_four_roles()
    {
        var code = await ConsentAsync();

        var first = await _client.ExchangeAuthCodeAsync("sandbox-app", "sandbox-app-secret", code, CancellationToken.None);
        var reused = await _client.ExchangeAuthCodeAsync("sandbox-app", "sandbox-app-secret", code, CancellationToken.None);
        var token = first.Data!.AccessToken!;
        var authorised = await _client.GetAuthorizedAdvertisersAsync("sandbox-app", "sandbox-app-secret", token, CancellationToken.None);
        var info = await _client.GetAdvertiserInfoAsync(token, [.. first.Data.AdvertiserIds!], CancellationToken.None);

        Assert.True(first.IsSuccess);
        Assert.Equal(40115, reused.Code);
        Assert.Equal(TikTokOutcome.Authorization, reused.Outcome);
        Assert.Equal(12, authorised.Data!.List!.Count);
        Assert.Equal(AdvertiserStatuses.All.Order(), info.Data!.List!.Select(a => a.Status!).Order());
        Assert.Equal(AdvertiserRoles.All.Order(), info.Data.List!.Select(a => a.Role!).Distinct().Order());
    }

    [Fact]
    public async Task A_wrong_secret_or_unknown_code_is_refused()
    {
        var wrongSecret = await _client.ExchangeAuthCodeAsync("sandbox-app", "guess", await ConsentAsync(), CancellationToken.None);
        var unknownCode = await _client.ExchangeAuthCodeAsync("sandbox-app", "sandbox-app-secret", "not-a-code", CancellationToken.None);

        Assert.Equal(40101, wrongSecret.Code);
        Assert.Equal(40110, unknownCode.Code);
    }

    [Fact]
    public async Task A_lead_task_runs_then_downloads_as_csv_and_forms_are_listed()
    {
        var token = _sandbox.AddToken(["7000000000000000066"], []);
        await _sandbox.Admin.PostAsJsonAsync("sandbox/leads", new JsonObject { ["advertiser_id"] = "7000000000000000066", ["page_id"] = "page-1", ["ad_id"] = "ad-1", ["fields"] = new JsonObject { ["phone_number"] = "+40721234567", ["name"] = "Ana, Pop" } });

        var created = await _client.LeadTaskAsync(token, new LeadTaskRequest { AdvertiserId = "7000000000000000066", PageId = "page-1" }, CancellationToken.None);
        var early = await _client.DownloadLeadTaskAsync(token, "7000000000000000066", created.Data!.TaskId!, CancellationToken.None);
        var running = await _client.LeadTaskAsync(token, new LeadTaskRequest { AdvertiserId = "7000000000000000066", TaskId = created.Data.TaskId }, CancellationToken.None);
        var done = await _client.LeadTaskAsync(token, new LeadTaskRequest { AdvertiserId = "7000000000000000066", TaskId = created.Data.TaskId }, CancellationToken.None);
        var file = await _client.DownloadLeadTaskAsync(token, "7000000000000000066", created.Data.TaskId!, CancellationToken.None);
        var forms = await _client.GetLeadFormsAsync(token, "7000000000000000066", 1, 20, CancellationToken.None);

        Assert.Equal(["CREATED", "RUNNING", "SUCCEED"], new[] { created.Data.Status!, running.Data!.Status!, done.Data!.Status! });
        Assert.Equal(40002, early.Code);
        var csv = Encoding.UTF8.GetString(file.Data!);
        Assert.StartsWith("lead_id,created_time,ad_id,page_id,name,phone_number", csv, StringComparison.Ordinal);
        Assert.Contains("\"Ana, Pop\",+40721234567", csv, StringComparison.Ordinal);
        Assert.Equal("page-1", forms.Data!.List!.Single().PageId);
    }

    [Fact]
    public async Task A_subscribed_callback_receives_each_lead_signed_and_failures_are_retried()
    {
        var token = _sandbox.AddToken(["7000000000000000067"], []);
        var received = new ConcurrentQueue<(string Body, string Signature)>();
        var failuresLeft = 2;
        var port = FreePort.Next();
        var receiver = WebApplication.Create(["--urls", $"http://127.0.0.1:{port}"]);
        receiver.MapPost("/leads", async (HttpRequest request) =>
        {
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                return Results.StatusCode(500);
            }
            using var reader = new StreamReader(request.Body);
            received.Enqueue((await reader.ReadToEndAsync(), request.Headers["X-TikTok-Signature"].ToString()));
            return Results.Ok();
        });
        await receiver.StartAsync();

        var subscribed = await _client.SubscribeLeadsAsync(new LeadSubscriptionRequest
        {
            AppId = "sandbox-app",
            Secret = "sandbox-app-secret",
            CallbackUrl = $"http://127.0.0.1:{port}/leads",
            SubscriptionDetail = new LeadSubscriptionDetail { AccessToken = token, AdvertiserId = "7000000000000000067" },
        }, CancellationToken.None);
        await _sandbox.Admin.PostAsJsonAsync("sandbox/leads", new JsonObject { ["advertiser_id"] = "7000000000000000067", ["page_id"] = "p", ["ad_id"] = "a", ["fields"] = new JsonObject { ["phone_number"] = "+40700000000" } });
        // The sandbox records a delivery once the receiver's answer is back, after the body reached the queue.
        for (var i = 0; i < 100 && (received.IsEmpty || _sandbox.State.Leads.Deliveries().Count < 3); i++)
        {
            await Task.Delay(50);
        }
        await receiver.StopAsync();

        Assert.True(subscribed.IsSuccess);
        var (body, signature) = Assert.Single(received);
        var timestamp = long.Parse(signature.Split(',')[0][2..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(LeadWebhookSender.Sign("sandbox-app-secret", timestamp, body), signature);
        Assert.Equal("+40700000000", (string?)JsonNode.Parse(body)!["object"]!["changes"]![0]!["value"]);
        Assert.Equal(3, _sandbox.State.Leads.Deliveries().Count);
    }
}
