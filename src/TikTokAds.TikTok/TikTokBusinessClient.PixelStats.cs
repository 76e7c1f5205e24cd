using System.Globalization;
using System.Text.Json;
using TikTokAds.TikTok.Models;

namespace TikTokAds.TikTok;

public sealed partial class TikTokBusinessClient
{
    /// <summary>pixel_ids per stats request (TikTok's limit).</summary>
    public const int MaxStatsPixels = 10;

    /// <summary>Days per stats request, both ends included (TikTok's limit).</summary>
    public const int MaxStatsDays = 30;

    /// <summary>
    /// GET pixel/event/stats/: TikTok's own counts per event type for up to 10 pixels (TikTok's pixel_id,
    /// not the pixel code) over UTC days <paramref name="start"/> to <paramref name="end"/>, at most 30 days.
    /// </summary>
    public Task<TikTokResponse<PixelEventStatsList>> GetPixelEventStatsAsync(
        string accessToken, string advertiserId, IReadOnlyList<string> pixelIds, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pixelIds);
        if (pixelIds.Count is 0 or > MaxStatsPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(pixelIds), pixelIds.Count, $"pixel/event/stats/ takes 1 to {MaxStatsPixels} pixel ids.");
        }
        if (end < start || end.DayNumber - start.DayNumber >= MaxStatsDays)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"pixel/event/stats/ takes a range of 1 to {MaxStatsDays} days, start first.");
        }
        var range = JsonSerializer.Serialize(new StatsDateRange(Day(start), Day(end)), TikTokJsonContext.Default.StatsDateRange);
        return SendAsync("pixel/event/stats", accessToken,
            Get("pixel/event/stats/", ("advertiser_id", advertiserId), ("pixel_ids", JsonArray(pixelIds)), ("date_range", range)),
            TikTokJsonContext.Default.PixelEventStatsList, cancellationToken);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
