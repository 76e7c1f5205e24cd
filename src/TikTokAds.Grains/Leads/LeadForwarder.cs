using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Security;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// Call-backs for an organizer's due leads: each body signed when the organizer set a secret, sent through the
/// named client within the call-back time-out, and its outcome settled by <see cref="LeadRetryPolicy"/>.
/// </summary>
public sealed class LeadForwarder(
    ILeadStore store,
    IHttpClientFactory httpFactory,
    TokenProtector protector,
    IOptions<LeadOptions> options,
    TimeProvider time,
    DomainMetrics metrics,
    ILogger<LeadForwarder> logger)
{
    /// <summary>The named HttpClient call-backs go through.</summary>
    public const string ClientName = "lead-callbacks";

    private readonly LeadOptions _options = options.Value;

    /// <summary>
    /// Sends the leads that are due (up to <see cref="LeadOptions.ForwardConcurrency"/> at once) and records each
    /// attempt. Returns when the next lead is due; when none waits, the answers past retention are dropped first.
    /// </summary>
    public async Task<DateTimeOffset?> ForwardDueAsync(string organizerId, LeadInboxState inbox, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await store.DueAsync(organizerId, now, _options.ForwardConcurrency, cancellationToken);
        await Task.WhenAll(due.Select(async lead =>
        {
            var (forwarded, delivery) = await ForwardAsync(organizerId, inbox, lead, cancellationToken);
            // Not cancellable: once the call-back is made, an attempt left unrecorded would be sent again.
            await store.UpdateAsync(forwarded, delivery, CancellationToken.None);
        }));
        var next = await store.NextDueAsync(organizerId, cancellationToken);
        if (next is null)
        {
            await store.PurgeAnswersAsync(organizerId, now - _options.AnswerRetention, cancellationToken);
        }
        return next;
    }

    /// <summary>The lead as it stands after the attempt, and the attempt (null when the settings now hold it back, so none was made).</summary>
    public async Task<(LeadRecord Lead, LeadDeliveryView? Delivery)> ForwardAsync(string organizerId, LeadInboxState inbox, LeadRecord lead, CancellationToken cancellationToken)
    {
        // The settings may have changed since the lead was queued.
        if (LeadHoldBack.Settings(inbox, lead.AdId, lead.AdvertiserId) is { } reason)
        {
            return (lead with { Status = LeadStatuses.NotForwarded, Reason = reason, NextAttemptAt = null }, null);
        }
        // Pending leads always hold their answers: only settled leads lose them (PurgeAnswersAsync).
        var body = LeadCallback.Body(lead, inbox.Ads[lead.AdId!], LeadAnswers.Unprotect(lead.ProtectedFields!, organizerId, protector)).ToJsonString();
        var secret = inbox.ProtectedSigningSecret is { } protectedSecret ? protector.Unprotect(protectedSecret, organizerId) : null;
        var started = time.GetTimestamp();
        var (httpStatus, error, addressRefused) = await SendAsync(inbox.CallbackUrl!, lead.LeadId, body, secret, cancellationToken);
        var now = time.GetUtcNow();
        var (settled, outcome) = LeadRetryPolicy.Settle(lead, error, now, _options, Random.Shared.NextDouble(), addressRefused);
        metrics.LeadForwarded(outcome);
        if (outcome == LeadRetryPolicy.Failed)
        {
            LeadLog.GaveUp(logger, organizerId, lead.LeadId, settled.Attempts, error!);
        }
        else if (outcome == LeadRetryPolicy.Retry)
        {
            LeadLog.CallbackFailed(logger, organizerId, lead.LeadId, settled.Attempts, error!);
        }
        return (settled, new LeadDeliveryView(settled.Attempts, now, httpStatus, error, (long)time.GetElapsedTime(started).TotalMilliseconds));
    }

    /// <summary>The receiver's HTTP status (if it answered), unless it took the lead why not, and whether its address was refused.</summary>
    private Task<(int? HttpStatus, string? Error, bool AddressRefused)> SendAsync(string callbackUrl, string leadId, string body, string? secret, CancellationToken cancellationToken)
        => SignedWebhook.PostAsync(httpFactory, callbackUrl, body, secret, leadId, _options.CallbackTimeout, time, cancellationToken);
}
