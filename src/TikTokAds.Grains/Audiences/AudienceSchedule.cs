namespace TikTokAds.Grains.Audiences;

/// <summary>When scheduled runs go: daily at the sync hour (UTC).</summary>
public static class AudienceSchedule
{
    /// <summary>The next sync hour strictly after <paramref name="now"/>: at the hour itself, the next one is tomorrow's.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, int hourUtc)
    {
        var utc = now.ToUniversalTime();
        var today = new DateTimeOffset(utc.UtcDateTime.Date, TimeSpan.Zero).AddHours(hourUtc);
        return today > utc ? today : today.AddDays(1);
    }
}
