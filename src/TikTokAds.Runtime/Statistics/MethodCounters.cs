namespace TikTokAds.Runtime.Statistics;

/// <summary>Lock-free counters and a latency histogram (buckets 19% apart, 50 µs to about 100 s) for one grain method.</summary>
internal sealed class MethodCounters
{
    private const double FirstBucketMs = 0.05;
    private const int BucketsPerDoubling = 4;
    private const int BucketCount = 22 * BucketsPerDoubling;
    private readonly long[] _buckets = new long[BucketCount];
    private long _calls;
    private long _failures;
    private long _totalMicroseconds;

    public void Record(TimeSpan elapsed, bool failed)
    {
        Interlocked.Increment(ref _calls);
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }
        Interlocked.Add(ref _totalMicroseconds, (long)(elapsed.Ticks / 10.0));
        Interlocked.Increment(ref _buckets[BucketOf(elapsed.TotalMilliseconds)]);
    }

    public MethodStats ToStats(string grainType, string method)
    {
        var calls = Volatile.Read(ref _calls);
        var counts = _buckets.Select(b => Volatile.Read(ref b)).ToArray();
        return new MethodStats(
            grainType,
            method,
            calls,
            Volatile.Read(ref _failures),
            calls == 0 ? 0 : Volatile.Read(ref _totalMicroseconds) / 1000.0 / calls,
            Percentile(counts, 0.50),
            Percentile(counts, 0.99));
    }

    private static int BucketOf(double milliseconds)
    {
        var bucket = milliseconds <= FirstBucketMs ? 0 : (int)Math.Ceiling(BucketsPerDoubling * Math.Log2(milliseconds / FirstBucketMs));
        return Math.Clamp(bucket, 0, BucketCount - 1);
    }

    /// <summary>The upper bound of the bucket holding the percentile: within 19%, cheap and monotonic.</summary>
    private static double Percentile(long[] counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(total * quantile);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return UpperBound(i);
            }
        }
        return UpperBound(counts.Length - 1);
    }

    private static double UpperBound(int bucket) => FirstBucketMs * Math.Pow(2, (double)bucket / BucketsPerDoubling);
}
