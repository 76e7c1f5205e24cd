using TikTokAds.Grains.Assurance;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Assurance;

public sealed class MatchQualityTests
{
    private static readonly DateTimeOffset To = new(2026, 3, 11, 12, 0, 0, TimeSpan.Zero);

    private static TrackEvent Event(int i, bool email, bool phone = false, bool ip = false, bool agent = false) => new()
    {
        Event = "Purchase",
        EventTime = To.ToUnixTimeSeconds(),
        EventId = $"e{i}",
        User = new TrackUser { Email = email ? new string('a', 64) : null, Phone = phone ? new string('b', 64) : "", Ip = ip ? "203.0.113.1" : null, UserAgent = agent ? "UA" : null },
    };

    [Fact]
    public void Keys_are_counted_when_present_and_ip_with_user_agent_only_when_both_are()
    {
        var counts = MatchKeys.Count("Purchase", [Event(0, true, phone: true, ip: true, agent: true), Event(1, true, ip: true), Event(2, false, agent: true), new TrackEvent { Event = "Purchase", EventTime = 1 }]);

        Assert.Equal(new MatchKeyCounts("Purchase", 4, 2, 1, 0, 0, 0, 1, 3), counts);
    }

    [Fact]
    public void Shares_and_score_follow_the_counts_and_the_documented_weights()
    {
        var report = MatchQuality.Build("PX", To.AddHours(-24), To, [new MatchKeyCounts("Purchase", 200, 160, 100, 0, 50, 0, 200, 200)], [], 0.2, 20);

        var row = Assert.Single(report.EventTypes);
        Assert.Equal(0.8, row.Coverage[MatchKeys.Email]);
        Assert.Equal(0.5, row.Coverage[MatchKeys.Phone]);
        Assert.Equal(0.25, row.Coverage[MatchKeys.Ttclid]);
        // 2.5*0.8 + 2*0.5 + 2*0.25 + 1*1 (ip+ua) + 0.5*1 (event_id) = 5.0
        Assert.Equal(5.0, row.EstimatedScore);
        Assert.Equal(10.0, MatchKeys.Weights.Values.Sum());
        Assert.Equal(200, report.Overall.Events);
        Assert.Contains("not TikTok's", report.ScoreNote, StringComparison.Ordinal);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void A_key_whose_share_falls_by_the_threshold_is_warned_about_and_a_smaller_fall_is_not()
    {
        var previous = new MatchKeyCounts("Purchase", 100, 80, 50, 0, 0, 0, 0, 100);
        var current = new MatchKeyCounts("Purchase", 50, 10, 21, 0, 0, 0, 0, 50);

        var report = MatchQuality.Build("PX", To.AddHours(-1), To, [current], [previous], 0.2, 20);

        var warning = Assert.Single(report.Warnings);
        Assert.Equal((MatchKeys.Email, 0.8, 0.2), (warning.Key, warning.PreviousShare, warning.CurrentShare));
        Assert.Contains("fell from 80% to 20%", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_warning_when_either_window_has_too_few_events()
    {
        var report = MatchQuality.Build("PX", To.AddHours(-1), To, [new MatchKeyCounts("Lead", 5, 0, 0, 0, 0, 0, 0, 5)], [new MatchKeyCounts("Lead", 100, 100, 0, 0, 0, 0, 0, 100)], 0.2, 20);

        Assert.Empty(report.Warnings);
    }
}
