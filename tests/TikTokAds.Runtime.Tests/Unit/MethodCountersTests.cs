using TikTokAds.Runtime.Statistics;

namespace TikTokAds.Runtime.Tests.Unit;

public sealed class MethodCountersTests
{
    [Fact]
    public void Percentiles_fall_within_a_bucket_of_the_true_value()
    {
        var counters = new MethodCounters();
        for (var i = 1; i <= 1000; i++)
        {
            counters.Record(TimeSpan.FromMilliseconds(i / 100.0), failed: i % 10 == 0);
        }

        var stats = counters.ToStats("pixel", "Append");

        Assert.Equal(1000, stats.Calls);
        Assert.Equal(100, stats.Failures);
        Assert.InRange(stats.MeanMs, 5.0, 5.01);
        Assert.InRange(stats.P50Ms, 5.0, 5.0 * 1.19);
        Assert.InRange(stats.P99Ms, 9.9, 9.9 * 1.19);
    }
}
