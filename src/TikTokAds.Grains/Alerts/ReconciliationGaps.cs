using System.Globalization;
using TikTokAds.Contracts.Assurance;

namespace TikTokAds.Grains.Alerts;

/// <summary>A pixel's flagged reconciliation rows as one alert condition: the worst day and event name, and how many are flagged.</summary>
public static class ReconciliationGaps
{
    public static ReconciliationGapSignal? From(ReconciliationFlag? flag)
    {
        if (flag is not { Flagged: true } || flag.Rows.Count == 0)
        {
            return null;
        }
        var worst = flag.Rows.MaxBy(r => r.GapRatio)!;
        var others = flag.Rows.Count - 1;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"TikTok counted {worst.TikTokServer} server {worst.EventName} events on {worst.Day:yyyy-MM-dd} where {worst.Delivered} were delivered (gap {worst.Gap}, {worst.GapRatio:P1}){(others > 0 ? $"; {others} more day/event rows flagged" : "")}.");
        return new ReconciliationGapSignal(detail, worst.GapRatio);
    }
}
