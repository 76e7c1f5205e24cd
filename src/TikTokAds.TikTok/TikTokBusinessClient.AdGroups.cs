using System.Globalization;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

public sealed partial class TikTokBusinessClient
{
    /// <summary>GET adgroup/get/: one page (page_size 1 to 1,000) of the advertiser's ad groups.</summary>
    public Task<TikTokResponse<AdGroupList>> ListAdGroupsAsync(string accessToken, string advertiserId, int page, int pageSize, CancellationToken cancellationToken)
        => SendAsync("adgroup/get", accessToken,
            Get("adgroup/get/", ("advertiser_id", advertiserId), ("page", Math.Max(page, 1).ToString(CultureInfo.InvariantCulture)), ("page_size", Math.Clamp(pageSize, 1, 1000).ToString(CultureInfo.InvariantCulture))),
            TikTokJsonContext.Default.AdGroupList, cancellationToken);

    /// <summary>POST dmp/custom_audience/apply/: includes, excludes or disconnects one audience on ad groups.</summary>
    public Task<TikTokResponse<System.Text.Json.JsonElement>> ApplyCustomAudienceAsync(string accessToken, CustomAudienceApplyRequest request, CancellationToken cancellationToken)
        => SendAsync("dmp/custom_audience/apply", accessToken,
            Post("dmp/custom_audience/apply/", request, TikTokJsonContext.Default.CustomAudienceApplyRequest),
            TikTokJsonContext.Default.JsonElement, cancellationToken);
}
