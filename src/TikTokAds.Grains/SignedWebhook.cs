using System.Net.Http.Headers;
using System.Text;
using TikTokAds.Grains.Leads;

namespace TikTokAds.Grains;

/// <summary>
/// A JSON POST to an organizer's own server through the call-back client (public addresses only, no cookies,
/// no redirects), signed with the organizer's secret as <c>X-TikTokAds-Signature: t={unix},v1={hex HMAC-SHA256 of "{t}.{body}"}</c>.
/// Answers the receiver's HTTP status (if it answered), unless it took the body why not, and whether its address was refused.
/// </summary>
public static class SignedWebhook
{
    public static async Task<(int? HttpStatus, string? Error, bool AddressRefused)> PostAsync(
        IHttpClientFactory httpFactory, string url, string body, string? secret, string idempotencyKey, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var http = httpFactory.CreateClient(LeadForwarder.ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TikTokAds.Orleans", "1.0"));
        if (secret is not null)
        {
            request.Headers.Add(LeadCallback.SignatureHeader, LeadCallback.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? null : $"The receiver answered HTTP {status}.", false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is CallbackAddressRefusedException refused)
        {
            return (null, refused.Message, true);
        }
        catch (HttpRequestException ex)
        {
            return (null, $"The receiver could not be reached: {ex.HttpRequestError}.", false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"The receiver did not answer within {timeout.TotalSeconds:0.#} s.", false);
        }
    }
}
