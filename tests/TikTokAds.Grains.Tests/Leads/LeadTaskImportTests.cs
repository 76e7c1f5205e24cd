using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadTaskImportTests
{
    private static readonly LeadPullView Pull = new("task_1", Advertiser, "pg_1", Ad, LeadPullStatus.Running, Now, null, 0, null);

    [Fact]
    public void Known_columns_describe_the_lead_and_the_others_are_its_encrypted_answers()
    {
        const string csv = "lead_id,created_time,ad_id,page_id,ad_name,full_name,phone_number\n7301,2026-02-28T10:00:00Z,,pg_7,Spring ad,Ana Pop,+40721234567\n";

        var lead = Assert.Single(LeadTaskImport.Leads(csv, Pull, Organizer, Protector, Now));

        Assert.Equal(("7301", "pg_7", Ad, "Spring ad"), (lead.LeadId, lead.PageId, lead.AdId, lead.AdName));
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 10, 0, 0, TimeSpan.Zero), lead.CreatedAt);
        Assert.Equal((LeadSources.Pull, Advertiser), (lead.Source, lead.AdvertiserId));
        Assert.Equal(["full_name", "phone_number"], lead.FieldNames);
        Assert.DoesNotContain("Ana Pop", lead.ProtectedFields, StringComparison.Ordinal);
        Assert.Equal("Ana Pop", LeadAnswers.Unprotect(lead.ProtectedFields, Organizer, Protector)["full_name"]);
        Assert.NotNull(lead.PhoneSha256);
    }

    [Fact]
    public void Rows_without_a_lead_id_are_skipped_and_an_unreadable_time_is_the_import_time()
    {
        const string csv = "lead_id,created_time,email\n,2026-02-28T10:00:00Z,a@example.com\n7302,yesterday,b@example.com\n";

        var lead = Assert.Single(LeadTaskImport.Leads(csv, Pull, Organizer, Protector, Now));

        Assert.Equal(("7302", Now, "pg_1"), (lead.LeadId, lead.CreatedAt, lead.PageId));
        Assert.NotNull(lead.EmailSha256);
    }
}
