using System.Globalization;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

public sealed partial class TikTokBusinessClient
{
    /// <summary>POST page/lead/task/: without task_id it starts an export; with it, it reports the status.</summary>
    public Task<TikTokResponse<LeadTaskResult>> LeadTaskAsync(string accessToken, LeadTaskRequest request, CancellationToken cancellationToken)
        => SendAsync("page/lead/task", accessToken, Post("page/lead/task/", request, TikTokJsonContext.Default.LeadTaskRequest), TikTokJsonContext.Default.LeadTaskResult, cancellationToken);

    /// <summary>GET page/lead/task/download/: the leads file (CSV) of a task that SUCCEEDED.</summary>
    public Task<TikTokResponse<byte[]>> DownloadLeadTaskAsync(string accessToken, string advertiserId, string taskId, CancellationToken cancellationToken)
        => SendAsync<byte[]>("page/lead/task/download", accessToken,
            Get("page/lead/task/download/", ("advertiser_id", advertiserId), ("task_id", taskId)),
            dataType: null, cancellationToken, rawContent: true);

    /// <summary>GET page/get/ with business_type LEAD_GEN: the advertiser's instant forms.</summary>
    public Task<TikTokResponse<LeadFormList>> GetLeadFormsAsync(string accessToken, string advertiserId, int page, int pageSize, CancellationToken cancellationToken)
        => SendAsync("page/get", accessToken,
            Get("page/get/", ("advertiser_id", advertiserId), ("business_type", "LEAD_GEN"), ("page", page.ToString(CultureInfo.InvariantCulture)), ("page_size", pageSize.ToString(CultureInfo.InvariantCulture))),
            TikTokJsonContext.Default.LeadFormList, cancellationToken);

    /// <summary>POST subscription/subscribe/: TikTok delivers LEAD events (at least once) to the callback URL.</summary>
    public Task<TikTokResponse<LeadSubscriptionResult>> SubscribeLeadsAsync(LeadSubscriptionRequest request, CancellationToken cancellationToken)
        => SendAsync("subscription/subscribe", accessToken: null, Post("subscription/subscribe/", request, TikTokJsonContext.Default.LeadSubscriptionRequest), TikTokJsonContext.Default.LeadSubscriptionResult, cancellationToken);
}
