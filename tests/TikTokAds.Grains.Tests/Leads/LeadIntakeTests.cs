using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadIntakeTests
{
    [Fact]
    public void A_forwardable_lead_is_due_at_once_and_a_held_back_one_is_not_due_at_all()
    {
        var pending = Lead();
        var held = LeadIntake.Requeue(pending, Inbox(), LeadReasons.AdDisabled, Now);

        Assert.Equal((LeadStatuses.Pending, (DateTimeOffset?)Now), (pending.Status, pending.NextAttemptAt));
        Assert.Equal((LeadStatuses.NotForwarded, LeadReasons.AdDisabled, (DateTimeOffset?)null), (held.Status, held.Reason, held.NextAttemptAt));
        Assert.Equal("Stored; it is being forwarded.", LeadIntake.Stored(pending).Message);
        Assert.Equal("Still not forwarded: ad_disabled.", LeadIntake.Requeued(held).Message);
    }

    [Fact]
    public void The_ads_form_name_wins_over_the_synced_forms_title()
    {
        var inbox = Inbox() with { Forms = new Dictionary<string, LeadFormRecord> { ["pg_1"] = new("pg_1", Advertiser, "TikTok title", null, Now) } };

        Assert.Equal("Festival pass", LeadIntake.FormName(inbox, Ad, "pg_1"));
        Assert.Equal("TikTok title", LeadIntake.FormName(inbox, "999", "pg_1"));
        Assert.Null(LeadIntake.FormName(inbox, null, null));
    }

    [Fact]
    public void Only_a_known_settled_lead_that_still_has_its_answers_can_be_retried()
    {
        Assert.False(LeadIntake.RetryRefusal("7301", null)!.Found);
        Assert.Equal("Already queued.", LeadIntake.RetryRefusal("7301", Lead())!.Message);
        Assert.Equal("Already forwarded.", LeadIntake.RetryRefusal("7301", Lead() with { Status = LeadStatuses.Forwarded })!.Message);
        Assert.Contains("retention", LeadIntake.RetryRefusal("7301", Lead() with { Status = LeadStatuses.Failed, ProtectedFields = null })!.Message, StringComparison.Ordinal);
        Assert.Null(LeadIntake.RetryRefusal("7301", Lead() with { Status = LeadStatuses.Failed }));
    }

    [Fact]
    public void A_duplicate_reports_what_became_of_the_stored_lead()
    {
        var stored = Lead() with { Status = LeadStatuses.Forwarded };

        var receipt = LeadIntake.Duplicate(stored, Lead());

        Assert.True(receipt.Duplicate);
        Assert.Equal(LeadStatuses.Forwarded, receipt.Status);
    }
}
