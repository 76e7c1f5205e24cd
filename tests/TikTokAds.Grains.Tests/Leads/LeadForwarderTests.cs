using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadForwarderTests
{
    private readonly InMemoryLeadStore _store = new();

    [Fact]
    public async Task A_due_lead_is_posted_signed_with_its_utm_tags_and_text_and_recorded_as_forwarded()
    {
        var receiver = new CallbackStub(HttpStatusCode.OK);
        await _store.InsertAsync(Lead(), CancellationToken.None);

        var next = await Forwarder(_store, receiver).ForwardDueAsync(Organizer, Inbox(secret: "a-shared-secret-of-16+"), CancellationToken.None);

        Assert.Null(next);
        var (request, body) = Assert.Single(receiver.Calls);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("https://crm.example/leads", request.RequestUri!.ToString());
        Assert.Equal("7301", request.Headers.GetValues("Idempotency-Key").Single());
        Assert.Equal("tiktok", (string)json["utm"]!["utm_source"]!);
        Assert.Equal("Call Ana Pop back about Festival pass", (string)json["text"]!);
        Assert.Equal("+40721234567", (string)json["phone"]!);
        var signature = request.Headers.GetValues(LeadCallback.SignatureHeader).Single();
        var t = signature.Split(',')[0][2..];
        Assert.Equal($"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData("a-shared-secret-of-16+"u8.ToArray(), Encoding.UTF8.GetBytes($"{t}.{body}")))}", signature);
        var lead = (await _store.GetAsync(Organizer, "7301", CancellationToken.None))!;
        Assert.Equal(LeadStatuses.Forwarded, lead.Status);
        Assert.Equal(1, lead.Attempts);
        Assert.Null(lead.ProtectedFields);
        Assert.Equal(200, Assert.Single(await _store.DeliveriesAsync(Organizer, "7301", CancellationToken.None)).HttpStatus);
    }

    [Fact]
    public async Task Without_a_signing_secret_the_call_back_carries_no_signature()
    {
        var receiver = new CallbackStub(HttpStatusCode.NoContent);
        await _store.InsertAsync(Lead(), CancellationToken.None);

        await Forwarder(_store, receiver).ForwardDueAsync(Organizer, Inbox(), CancellationToken.None);

        Assert.False(Assert.Single(receiver.Calls).Request.Headers.Contains(LeadCallback.SignatureHeader));
    }

    [Fact]
    public async Task A_receiver_error_is_logged_as_an_attempt_and_the_lead_waits_for_its_retry()
    {
        var receiver = new CallbackStub(HttpStatusCode.InternalServerError);
        await _store.InsertAsync(Lead(), CancellationToken.None);

        var next = await Forwarder(_store, receiver).ForwardDueAsync(Organizer, Inbox(), CancellationToken.None);

        var lead = (await _store.GetAsync(Organizer, "7301", CancellationToken.None))!;
        Assert.Equal(LeadStatuses.Pending, lead.Status);
        Assert.Equal("The receiver answered HTTP 500.", lead.LastError);
        Assert.NotNull(lead.ProtectedFields);
        Assert.Equal(lead.NextAttemptAt, next);
        Assert.InRange(next!.Value - Now, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
        Assert.Equal(500, Assert.Single(await _store.DeliveriesAsync(Organizer, "7301", CancellationToken.None)).HttpStatus);
    }

    [Fact]
    public async Task An_unreachable_receiver_or_one_that_does_not_answer_in_time_is_a_failed_attempt()
    {
        var unreachable = new CallbackStub((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError));
        var silent = new CallbackStub(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var (refused, _) = await Forwarder(_store, unreachable).ForwardAsync(Organizer, Inbox(), Lead(), CancellationToken.None);
        var (timedOut, delivery) = await Forwarder(_store, silent, Settings(timeout: TimeSpan.FromMilliseconds(100))).ForwardAsync(Organizer, Inbox(), Lead(), CancellationToken.None);

        Assert.Equal("The receiver could not be reached: ConnectionError.", refused.LastError);
        Assert.Equal("The receiver did not answer within 0.1 s.", timedOut.LastError);
        Assert.Null(delivery!.HttpStatus);
    }

    [Fact]
    public async Task A_cancelled_forwarding_stops_without_counting_an_attempt()
    {
        var silent = new CallbackStub(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Forwarder(_store, silent).ForwardAsync(Organizer, Inbox(), Lead(), cancellation.Token));
    }

    [Fact]
    public async Task The_last_allowed_attempt_marks_the_lead_failed_and_keeps_it()
    {
        var receiver = new CallbackStub(HttpStatusCode.BadGateway);

        var (lead, _) = await Forwarder(_store, receiver).ForwardAsync(Organizer, Inbox(), Lead(attempts: 2), CancellationToken.None);

        Assert.Equal(LeadStatuses.Failed, lead.Status);
        Assert.Equal(LeadReasons.CallbackFailed, lead.Reason);
        Assert.Equal(3, lead.Attempts);
        Assert.Null(lead.NextAttemptAt);
        Assert.NotNull(lead.ProtectedFields);
    }

    [Fact]
    public async Task A_lead_whose_ad_was_disabled_after_it_was_queued_is_held_back_without_a_call()
    {
        var receiver = new CallbackStub(HttpStatusCode.OK);

        var (lead, delivery) = await Forwarder(_store, receiver).ForwardAsync(Organizer, Inbox(enabled: false), Lead(), CancellationToken.None);

        Assert.Empty(receiver.Calls);
        Assert.Null(delivery);
        Assert.Equal(LeadStatuses.NotForwarded, lead.Status);
        Assert.Equal(LeadReasons.AdDisabled, lead.Reason);
        Assert.Null(lead.NextAttemptAt);
    }

    [Fact]
    public async Task When_no_lead_waits_the_answers_of_settled_leads_past_retention_are_dropped()
    {
        var old = Lead("7302") with { Status = LeadStatuses.NotForwarded, NextAttemptAt = null, ReceivedAt = Now.AddDays(-31) };
        await _store.InsertAsync(old, CancellationToken.None);

        var next = await Forwarder(_store, new CallbackStub(HttpStatusCode.OK)).ForwardDueAsync(Organizer, Inbox(), CancellationToken.None);

        Assert.Null(next);
        Assert.Null((await _store.GetAsync(Organizer, "7302", CancellationToken.None))!.ProtectedFields);
    }
}
