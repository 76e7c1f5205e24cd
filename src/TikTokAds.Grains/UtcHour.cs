namespace TikTokAds.Grains;

internal static class UtcHour
{
    /// <summary>The start of the UTC hour that holds <paramref name="at"/> (how deliveries are bucketed by hour).</summary>
    public static DateTimeOffset Of(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
