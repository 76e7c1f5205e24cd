using TikTokAds.Grains.Leads;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class LeadCsvTests
{
    [Fact]
    public void Quoted_cells_keep_commas_quotes_and_line_breaks()
    {
        var rows = LeadCsv.Read("\uFEFFlead_id,name,note\r\n7301,\"Pop, Ana\",\"said \"\"call me\"\"\nafter 6\"\r\n7302,Ion,\r\n\r\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal("Pop, Ana", rows[0]["name"]);
        Assert.Equal("said \"call me\"\nafter 6", rows[0]["note"]);
        Assert.Equal("7302", rows[1]["lead_id"]);
        Assert.Equal("", rows[1]["note"]);
    }

    [Fact]
    public void A_short_row_reads_missing_cells_as_empty_and_an_empty_file_as_no_rows()
    {
        Assert.Equal("", LeadCsv.Read("lead_id,name\n7301")[0]["name"]);
        Assert.Empty(LeadCsv.Read(""));
        Assert.Empty(LeadCsv.Read("lead_id,name\n"));
    }

    [Fact]
    public void Phone_and_email_answers_are_hashed_by_the_events_rules()
    {
        var (phone, email) = LeadAnswers.Hashes(new Dictionary<string, string> { ["phone_number"] = "+40 721 234 567", ["Email"] = " Ana@Example.com " });

        Assert.Equal(TikTokAds.Grains.Events.PiiNormalizer.Sha256("+40721234567"), phone);
        Assert.Equal(TikTokAds.Grains.Events.PiiNormalizer.Sha256("ana@example.com"), email);
    }
}
