using TikTokAds.Contracts;

namespace TikTokAds.Grains.Tests.Contracts;

/// <summary>
/// Orleans' ADO.NET storage reads a key that parses as hexadecimal (or a GUID followed by '+') as a number,
/// so "10" and "010" would share a row. No key of ours may parse, whatever the ids inside it.
/// </summary>
public sealed class GrainKeyTests
{
    public static TheoryData<string> Keys => new()
    {
        GrainKeys.Organizer("org_0123456789abcdef"),
        GrainKeys.Pixel("org_0123456789abcdef", "10"),
        GrainKeys.Pixel("org_0123456789abcdef", "ABCDEF0123456789"),
        GrainKeys.Audience("org_0123456789abcdef", "aud_1"),
        GrainKeys.ApiKey("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        GrainKeys.LeadRouter("7100000000000000001"),
        GrainKeys.LeadRouter("10"),
        GrainKeys.LeadRouter("0123456789abcdef0123456789abcdef+x"),
        GrainKeys.Directory,
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void No_grain_key_can_be_read_as_a_number_or_a_guid(string key)
    {
        var id = GrainId.Create("pixel", key);

        Assert.False(id.TryGetIntegerKey(out _, out _), $"{key} reads as an integer key");
        Assert.False(id.TryGetGuidKey(out _, out _), $"{key} reads as a GUID key");
    }

    [Theory]
    [InlineData("10")]
    [InlineData("010")]
    [InlineData("ABC")]
    [InlineData("org_")]
    [InlineData("org_ABC")]
    [InlineData("org_a/b")]
    [InlineData("")]
    public void Anything_but_a_well_formed_organizer_id_is_refused_as_a_key(string id)
    {
        Assert.False(GrainKeys.IsOrganizerId(id));
        Assert.Throws<ArgumentException>(() => GrainKeys.Organizer(id));
    }

    [Fact]
    public void A_pixel_key_splits_back_into_its_organizer_and_pixel()
    {
        Assert.Equal(("org_abc", "PX/1"), GrainKeys.Split(GrainKeys.Pixel("org_abc", "PX/1")));
    }
}
