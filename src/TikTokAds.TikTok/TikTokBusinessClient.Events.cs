using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

public sealed partial class TikTokBusinessClient
{
    /// <summary>POST event/track/: 1 to 1,000 events from one event source, with one (or no) test_event_code.</summary>
    public Task<TikTokResponse<System.Text.Json.JsonElement>> TrackEventsAsync(string accessToken, TrackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Data.Count is 0 or > TrackRequest.MaxEvents)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Data.Count, $"event/track/ takes 1 to {TrackRequest.MaxEvents} events per request.");
        }
        return SendAsync("event/track", accessToken, Post("event/track/", request, TikTokJsonContext.Default.TrackRequest), TikTokJsonContext.Default.JsonElement, cancellationToken);
    }
}
