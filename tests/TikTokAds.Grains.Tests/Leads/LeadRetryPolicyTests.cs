using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadRetryPolicyTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(30);

    [Fact]
    public void The_wait_doubles_per_failed_attempt_up_to_the_cap()
    {
        Assert.Equal(
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 1800, 1800],
            Enumerable.Range(1, 11).Select(attempt => LeadRetryPolicy.Backoff(attempt, Base, Cap, jitter: 0).TotalSeconds));
        Assert.Equal(Cap, LeadRetryPolicy.Backoff(1000, Base, Cap, jitter: 0));
    }

    [Fact]
    public void Jitter_stretches_the_wait_by_at_most_a_fifth()
    {
        Assert.Equal(TimeSpan.FromSeconds(6), LeadRetryPolicy.Backoff(1, Base, Cap, jitter: 1));
        Assert.Equal(TimeSpan.FromMinutes(33), LeadRetryPolicy.Backoff(20, Base, Cap, jitter: 0.5));
    }

    [Fact]
    public void A_taken_lead_is_forwarded_and_loses_its_answers()
    {
        var (lead, outcome) = LeadRetryPolicy.Settle(Lead(attempts: 1) with { LastError = "earlier" }, null, Now, Settings(), 0);

        Assert.Equal(LeadRetryPolicy.Forwarded, outcome);
        Assert.Equal((LeadStatuses.Forwarded, 2, Now), (lead.Status, lead.Attempts, lead.ForwardedAt!.Value));
        Assert.Null(lead.ProtectedFields);
        Assert.Null(lead.LastError);
        Assert.Null(lead.NextAttemptAt);
    }

    [Fact]
    public void A_failure_before_the_last_attempt_is_retried_after_the_backoff()
    {
        var (lead, outcome) = LeadRetryPolicy.Settle(Lead(attempts: 1), "The receiver answered HTTP 503.", Now, Settings(), 0);

        Assert.Equal(LeadRetryPolicy.Retry, outcome);
        Assert.Equal(LeadStatuses.Pending, lead.Status);
        Assert.Equal(Now + TimeSpan.FromSeconds(10), lead.NextAttemptAt);
        Assert.Equal("The receiver answered HTTP 503.", lead.LastError);
    }

    [Fact]
    public void A_failure_on_the_last_attempt_fails_the_lead_for_good()
    {
        var (lead, outcome) = LeadRetryPolicy.Settle(Lead(attempts: 2), "timeout", Now, Settings(), 0);

        Assert.Equal(LeadRetryPolicy.Failed, outcome);
        Assert.Equal((LeadStatuses.Failed, LeadReasons.CallbackFailed, 3), (lead.Status, lead.Reason, lead.Attempts));
        Assert.Null(lead.NextAttemptAt);
    }
}
