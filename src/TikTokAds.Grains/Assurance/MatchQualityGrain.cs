using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Assurance;
using TikTokAds.Grains.Events;

namespace TikTokAds.Grains.Assurance;

/// <summary>
/// Match quality of one pixel, read from the event store: it holds no state, so it runs where it is
/// called, and the pixel grain's turns are never taken for a report.
/// </summary>
[StatelessWorker]
public sealed class MatchQualityGrain(IEventStore store, IOptions<AssuranceOptions> options, TimeProvider time) : Grain, IMatchQualityGrain
{
    public async Task<MatchQualityReport> GetAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        var key = this.GetPrimaryKeyString();
        var to = time.GetUtcNow();
        var from = to - window;
        var current = await store.CountMatchKeysAsync(key, from, to, cancellationToken);
        var previous = await store.CountMatchKeysAsync(key, from - window, from, cancellationToken);
        var settings = options.Value;
        return MatchQuality.Build(GrainKeys.Split(key).Id, from, to, current, previous, settings.CoverageDropThreshold, settings.CoverageMinEvents);
    }
}
