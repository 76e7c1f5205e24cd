using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

public sealed partial class TikTokBusinessClient
{
    /// <summary>POST oauth2/access_token/: exchanges a single-use auth_code (valid 1 h) for an advertiser token.</summary>
    public Task<TikTokResponse<AccessTokenResult>> ExchangeAuthCodeAsync(string appId, string secret, string authCode, CancellationToken cancellationToken)
        => SendAsync("oauth2/access_token", accessToken: null,
            Post("oauth2/access_token/", new AccessTokenRequest(appId, secret, authCode), TikTokJsonContext.Default.AccessTokenRequest),
            TikTokJsonContext.Default.AccessTokenResult, cancellationToken);

    /// <summary>GET oauth2/advertiser/get/: the advertisers a token is authorised for.</summary>
    public Task<TikTokResponse<AuthorizedAdvertiserList>> GetAuthorizedAdvertisersAsync(string appId, string secret, string accessToken, CancellationToken cancellationToken)
        => SendAsync("oauth2/advertiser/get", accessToken,
            Get("oauth2/advertiser/get/", ("app_id", appId), ("secret", secret)),
            TikTokJsonContext.Default.AuthorizedAdvertiserList, cancellationToken);

    /// <summary>GET advertiser/info/: name, company, status and role of each ad account. Also the cheapest token check.</summary>
    public Task<TikTokResponse<AdvertiserInfoList>> GetAdvertiserInfoAsync(string accessToken, IReadOnlyList<string> advertiserIds, CancellationToken cancellationToken)
        => SendAsync("advertiser/info", accessToken,
            Get("advertiser/info/", ("advertiser_ids", JsonArray(advertiserIds))),
            TikTokJsonContext.Default.AdvertiserInfoList, cancellationToken);
}
