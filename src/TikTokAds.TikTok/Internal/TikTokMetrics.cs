using System.Diagnostics.Metrics;

namespace TikTokAds.TikTok.Internal;

/// <summary>The client's instruments, created once per process: clients themselves are short-lived typed clients.</summary>
internal sealed class TikTokMetrics
{
    public TikTokMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TikTokBusinessClient.MeterName);
        Requests = meter.CreateCounter<long>("tiktokads.tiktok.requests", "{request}", "TikTok API calls by operation and final outcome (after retries).");
        Duration = meter.CreateHistogram<double>("tiktokads.tiktok.request.duration", "s", "Time of a TikTok API call including retries.");
    }

    public Counter<long> Requests { get; }

    public Histogram<double> Duration { get; }
}
