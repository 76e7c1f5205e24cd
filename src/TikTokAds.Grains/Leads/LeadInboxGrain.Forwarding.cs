using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>Forwarding to the organizer's call-back receiver: signed, retried with backoff, logged per attempt.</summary>
public sealed partial class LeadInboxGrain
{
    public const string SignatureHeader = "X-TikTokAds-Signature";
    private const string ForwardReminder = "forward";
    private const string PullReminder = "pull";
    private static readonly TimeSpan ForwardReminderPeriod = TimeSpan.FromMinutes(1);

    private WakeUp? _forward;
    private IDisposable? _pollTimer;
    private bool? _forwardReminderOn;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ForwardReminder)
        {
            await ForwardDueAsync(CancellationToken.None);
        }
        else if (reminderName == PullReminder)
        {
            await PullConfiguredAdsAsync();
        }
    }

    private async Task ForwardDueAsync(CancellationToken cancellationToken)
    {
        Forward.Disarm();
        var now = time.GetUtcNow();
        var due = await store.DueAsync(OrganizerId, now, _options.ForwardConcurrency, cancellationToken);
        if (due.Count > 0)
        {
            await Task.WhenAll(due.Select(ForwardAsync));
        }
        var next = await store.NextDueAsync(OrganizerId, cancellationToken);
        if (next is null)
        {
            await EnsureForwardReminderAsync(false);
            await store.PurgeAnswersAsync(OrganizerId, now - _options.AnswerRetention, cancellationToken);
            return;
        }
        ArmForwarding(next.Value - time.GetUtcNow());
    }

    private async Task ForwardAsync(LeadRecord lead)
    {
        // The settings may have changed since the lead was queued.
        if ((AdProblem(lead.AdId, lead.AdvertiserId) ?? CallbackProblem()) is { } reason)
        {
            await store.UpdateAsync(lead with { Status = LeadStatuses.NotForwarded, Reason = reason, NextAttemptAt = null }, null, CancellationToken.None);
            return;
        }
        var callback = Current.CallbackUrl!;
        var ad = Current.Ads[lead.AdId!];
        var attempt = lead.Attempts + 1;
        // Pending leads always hold their answers: only settled leads lose them (PurgeAnswersAsync).
        var body = Payload(lead, ad, LeadAnswers.Unprotect(lead.ProtectedFields!, OrganizerId, protector)).ToJsonString();
        var started = Stopwatch.GetTimestamp();
        int? httpStatus = null;
        string? error = null;
        try
        {
            using var http = httpFactory.CreateClient(CallbackClient);
            using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", lead.LeadId);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TikTokAds.Orleans", "1.0"));
            if (Current.ProtectedSigningSecret is { } protectedSecret)
            {
                request.Headers.Add(SignatureHeader, Sign(protector.Unprotect(protectedSecret, OrganizerId), time.GetUtcNow().ToUnixTimeSeconds(), body));
            }
            using var timeout = new CancellationTokenSource(_options.CallbackTimeout);
            using var response = await http.SendAsync(request, timeout.Token);
            httpStatus = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"The receiver answered HTTP {httpStatus}.";
            }
        }
        catch (HttpRequestException ex)
        {
            error = $"The receiver could not be reached: {ex.HttpRequestError}.";
        }
        catch (OperationCanceledException)
        {
            error = $"The receiver did not answer within {_options.CallbackTimeout.TotalSeconds:0.#} s.";
        }
        var now = time.GetUtcNow();
        var delivery = new LeadDeliveryView(attempt, now, httpStatus, error, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        LeadRecord updated;
        if (error is null)
        {
            // Forwarded: the answers are no longer needed here.
            updated = lead with { Status = LeadStatuses.Forwarded, Reason = null, Attempts = attempt, NextAttemptAt = null, ForwardedAt = now, LastError = null, ProtectedFields = null };
            metrics.LeadForwarded("forwarded");
        }
        else if (attempt >= _options.MaxAttempts)
        {
            updated = lead with { Status = LeadStatuses.Failed, Reason = LeadReasons.CallbackFailed, Attempts = attempt, NextAttemptAt = null, LastError = error };
            metrics.LeadForwarded("failed");
            LeadLog.GaveUp(logger, OrganizerId, lead.LeadId, attempt, error);
        }
        else
        {
            updated = lead with { Attempts = attempt, NextAttemptAt = now + Backoff(attempt), LastError = error };
            metrics.LeadForwarded("retry");
            LeadLog.CallbackFailed(logger, OrganizerId, lead.LeadId, attempt, error);
        }
        await store.UpdateAsync(updated, delivery, CancellationToken.None);
    }

    /// <summary>What the call-back receiver gets: the lead, its answers, the ad's UTM tags and the rendered text.</summary>
    private static JsonObject Payload(LeadRecord lead, LeadAdRecord ad, IReadOnlyDictionary<string, string> answers)
    {
        var values = new Dictionary<string, string>(answers, StringComparer.OrdinalIgnoreCase)
        {
            ["lead_id"] = lead.LeadId,
            ["ad_id"] = lead.AdId ?? "",
            ["ad_name"] = lead.AdName ?? "",
            ["form_name"] = ad.FormName ?? lead.FormName ?? "",
            ["campaign_name"] = lead.CampaignName ?? "",
        };
        var phone = answers.FirstOrDefault(a => a.Key.Contains("phone", StringComparison.OrdinalIgnoreCase)).Value;
        return new JsonObject
        {
            ["lead_id"] = lead.LeadId,
            ["source"] = lead.Source,
            ["created_at"] = lead.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["received_at"] = lead.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
            ["advertiser_id"] = lead.AdvertiserId,
            ["page_id"] = lead.PageId,
            ["form_name"] = ad.FormName ?? lead.FormName,
            ["ad_id"] = lead.AdId,
            ["ad_name"] = lead.AdName,
            ["campaign_id"] = lead.CampaignId,
            ["campaign_name"] = lead.CampaignName,
            ["adgroup_id"] = lead.AdgroupId,
            ["adgroup_name"] = lead.AdgroupName,
            ["phone"] = phone,
            ["fields"] = new JsonObject([.. answers.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]),
            ["utm"] = new JsonObject([.. ad.Utm.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value))]),
            ["text"] = ad.TextTemplate is null ? null : Placeholder().Replace(ad.TextTemplate, m => values.GetValueOrDefault(m.Groups[1].Value) ?? ""),
        };
    }

    /// <summary>t={unix},v1={hex HMAC-SHA256 of "{t}.{body}"}: the receiver recomputes it with the shared secret.</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")))}";
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = exponential < _options.RetryMaxDelay ? exponential : _options.RetryMaxDelay;
        // Up to 20% jitter, so many leads failing together do not retry in step.
        return capped * (1 + (Random.Shared.NextDouble() * 0.2));
    }

    private void ArmForwarding(TimeSpan delay) => Forward.Within(delay);

    private WakeUp Forward => _forward ??= new WakeUp(time, () => this.RegisterGrainTimer(ForwardDueAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    private async Task EnsureForwardReminderAsync(bool on)
    {
        if (on != _forwardReminderOn)
        {
            if (on)
            {
                await this.RegisterOrUpdateReminder(ForwardReminder, ForwardReminderPeriod, ForwardReminderPeriod);
            }
            else
            {
                await this.UnregisterReminderAsync(ForwardReminder);
            }
            _forwardReminderOn = on;
        }
    }
}
