using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TikTokAds.Grains.Segments;

/// <summary>Forgets buyer facts older than each organizer's retention (Segments:BuyerDataRetention and its overrides), hourly.</summary>
internal sealed class BuyerFactRetentionService(IBuyerFactStore store, IOptions<SegmentOptions> options, TimeProvider time, ILogger<BuyerFactRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var purged = await BuyerDataRetention.PurgeAsync(store, options.Value, time.GetUtcNow(), stoppingToken);
                if (purged > 0)
                {
                    SegmentLog.Purged(logger, purged);
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                SegmentLog.PurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
