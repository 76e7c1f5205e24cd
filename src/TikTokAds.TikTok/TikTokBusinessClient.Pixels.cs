using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

public sealed partial class TikTokBusinessClient
{
    /// <summary>GET pixel/list/: the advertiser's pixels, optionally narrowed to one pixel code.</summary>
    public Task<TikTokResponse<PixelList>> ListPixelsAsync(string accessToken, string advertiserId, string? pixelCode, CancellationToken cancellationToken)
        => SendAsync("pixel/list", accessToken,
            Get("pixel/list/", ("advertiser_id", advertiserId), ("code", pixelCode), ("page", "1"), ("page_size", "20")),
            TikTokJsonContext.Default.PixelList, cancellationToken);
}
