using TikTokAds.Contracts.Audiences;
using TikTokAds.Grains.Segments;

namespace TikTokAds.Grains.Tests.Segments;

public sealed class SegmentDiffTests
{
    [Fact]
    public void The_difference_adds_the_new_and_removes_those_who_left()
    {
        var diff = SegmentDiff.Of(new HashSet<string> { "EMAIL_SHA256:a", "EMAIL_SHA256:b", "PHONE_SHA256:p" }, ["EMAIL_SHA256:b", "EMAIL_SHA256:c", "PHONE_SHA256:q"]);

        Assert.Equal(["EMAIL_SHA256:a", "PHONE_SHA256:p"], diff.Adds);
        Assert.Equal(["EMAIL_SHA256:c", "PHONE_SHA256:q"], diff.Removes);
    }

    [Fact]
    public void A_segment_equal_to_its_audience_changes_nothing()
    {
        var diff = SegmentDiff.Of(new HashSet<string> { "EMAIL_SHA256:a" }, ["EMAIL_SHA256:a"]);

        Assert.Empty(diff.Adds);
        Assert.Empty(diff.Removes);
    }

    [Fact]
    public void Rows_are_aligned_to_email_then_phone()
    {
        Assert.Equal(["a,", ",p"], SegmentDiff.Rows(["EMAIL_SHA256:a", "PHONE_SHA256:p"]));
        Assert.Equal(["EMAIL_SHA256", "PHONE_SHA256"], SegmentDiff.IdSchema);
    }

    private static AudienceRun Run(long id, string status, string? error = null) => new(id, "APPEND", "instant", status, 1, 1, 0, 0, DateTimeOffset.UnixEpoch, null, null, error);

    private static AudienceView Audience(params AudienceRun[] runs) => new("aud_x", "7000", "A", "t1", "ready", ["EMAIL_SHA256"], false, null, 0, DateTimeOffset.UnixEpoch, null, null, runs, []);

    [Fact]
    public void Before_queueing_a_run_waits_for_any_open_audience_run_but_not_for_scheduled_ones()
    {
        Assert.True(SegmentAudiences.Progress(Audience(Run(1, "done"), Run(2, "running")), null).Busy);
        Assert.True(SegmentAudiences.Progress(Audience(Run(2, "pending")), null).Busy);
        Assert.False(SegmentAudiences.Progress(Audience(Run(1, "done"), Run(2, "scheduled")), null).Busy);
    }

    [Fact]
    public void After_queueing_a_run_waits_for_its_own_audience_runs_and_reports_their_failure()
    {
        var audience = Audience(Run(1, "running"), Run(2, "failed", "TikTok 40001: no"), Run(3, "done"));

        Assert.True(SegmentAudiences.Progress(audience, [1, 3]).Busy);
        Assert.Equal((false, "TikTok 40001: no"), SegmentAudiences.Progress(audience, [2, 3]));
        Assert.Equal((false, (string?)null), SegmentAudiences.Progress(audience, [3]));
    }
}
