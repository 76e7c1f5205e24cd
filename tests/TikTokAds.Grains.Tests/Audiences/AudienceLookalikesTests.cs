using TikTokAds.Contracts.Audiences;
using TikTokAds.Grains.Audiences;

namespace TikTokAds.Grains.Tests.Audiences;

public sealed class AudienceLookalikesTests
{
    private static readonly AudienceState Source = new() { AdvertiserId = "700", Name = "Fans", TikTokAudienceId = "tt_9" };

    [Fact]
    public void An_unnamed_lookalike_is_named_after_its_source_and_size_with_TikToks_default_locations()
    {
        var request = AudienceLookalikes.Request(Source, new LookalikeRequest("BALANCED", [], IncludeSource: true, Name: null));

        Assert.Equal(("700", "Fans lookalike (balanced)"), (request.AdvertiserId, request.CustomAudienceName));
        Assert.Equal(("tt_9", "BALANCED", (bool?)true), (request.LookalikeSpec.SourceAudienceId, request.LookalikeSpec.AudienceSize, request.LookalikeSpec.IncludeSource));
        Assert.Null(request.LookalikeSpec.LocationIds);
    }

    [Fact]
    public void A_named_lookalike_keeps_its_name_and_locations()
    {
        var request = AudienceLookalikes.Request(Source, new LookalikeRequest("NARROW", ["6252001"], IncludeSource: false, Name: "Nearby fans"));

        Assert.Equal("Nearby fans", request.CustomAudienceName);
        Assert.Equal(["6252001"], request.LookalikeSpec.LocationIds!);
    }
}
