using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TikTokAds.Grains.Events;

/// <summary>
/// Forgets settled events and request records older than Pixels:StatusRetention, and dead letters older than
/// Pixels:DeadLetterRetention, hourly. Waiting events are never purged.
/// </summary>
internal sealed partial class EventRetentionService(IEventStore store, IOptions<PixelOptions> options, TimeProvider time, ILogger<EventRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var now = time.GetUtcNow();
                var purged = await store.PurgeAsync(now - options.Value.StatusRetention, now - options.Value.DeadLetterRetention, stoppingToken);
                if (purged > 0)
                {
                    Purged(logger, purged);
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                PurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(3201, LogLevel.Information, "Purged {Count} settled event(s) and request record(s) past retention")]
    private static partial void Purged(ILogger logger, int count);

    [LoggerMessage(3202, LogLevel.Warning, "Purging settled events failed; retrying in an hour")]
    private static partial void PurgeFailed(ILogger logger, Exception exception);
}
