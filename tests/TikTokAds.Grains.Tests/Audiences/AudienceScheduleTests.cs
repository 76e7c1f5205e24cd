using TikTokAds.Grains.Audiences;

namespace TikTokAds.Grains.Tests.Audiences;

public sealed class AudienceScheduleTests
{
    [Theory]
    [InlineData("2026-03-10T01:59:59Z", "2026-03-10T03:00:00Z")]
    [InlineData("2026-03-10T03:00:00Z", "2026-03-11T03:00:00Z")]
    [InlineData("2026-03-10T17:30:00Z", "2026-03-11T03:00:00Z")]
    [InlineData("2026-12-31T23:00:00Z", "2027-01-01T03:00:00Z")]
    public void Scheduled_runs_go_at_the_next_sync_hour_after_now(string now, string expected)
    {
        var next = AudienceSchedule.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), 3);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void The_sync_hour_is_in_UTC_whatever_the_offset_of_now()
    {
        var now = new DateTimeOffset(2026, 3, 10, 4, 0, 0, TimeSpan.FromHours(2)); // 02:00 UTC

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 3, 0, 0, TimeSpan.Zero), AudienceSchedule.NextRun(now, 3));
    }
}
