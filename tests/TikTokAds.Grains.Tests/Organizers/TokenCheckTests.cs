using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class TokenCheckTests
{
    private const string Advertiser = "7000000000000000001";

    private static TikTokResponse<AdvertiserInfoList> Listing(params string[] advertiserIds)
        => Answers.Ok(new AdvertiserInfoList([.. advertiserIds.Select(id => new AdvertiserInfo { AdvertiserId = id })]));

    private static TikTokResponse<PixelList> Pixels(params string[] codes)
        => Answers.Ok(new PixelList([.. codes.Select(c => new PixelInfo("id", c, "name"))], null));

    [Fact]
    public void A_token_that_lists_the_advertiser_and_its_pixel_passes()
    {
        Assert.Null(TokenCheck.OfAdvertiser(Listing(Advertiser), Advertiser));
        Assert.Null(TokenCheck.OfPixel(Pixels("PIXEL1"), Advertiser, "PIXEL1"));
    }

    [Fact]
    public void An_advertiser_the_token_does_not_list_is_not_permitted()
    {
        var result = TokenCheck.OfAdvertiser(Listing("7000000000000000999"), Advertiser);

        Assert.Equal(ConnectOutcome.AdvertiserNotPermitted, result?.Outcome);
    }

    [Theory]
    [InlineData(TikTokCodes.TokenExpired)]
    [InlineData(TikTokCodes.TokenEmpty)]
    [InlineData(TikTokCodes.TokenInvalid)]
    [InlineData(TikTokCodes.CoreUserInvalid)]
    public void A_token_only_reauthorisation_can_fix_is_rejected(int code)
    {
        var result = TokenCheck.OfAdvertiser(Answers.Failed<AdvertiserInfoList>(code, TikTokOutcome.Authorization), Advertiser);

        Assert.Equal(ConnectOutcome.TokenRejected, result?.Outcome);
        Assert.Equal(code, result?.TikTokCode);
    }

    [Theory]
    [InlineData(TikTokCodes.NoPermission, TikTokOutcome.Authorization)]
    [InlineData(TikTokCodes.InvalidParameters, TikTokOutcome.InvalidRequest)]
    public void A_refusal_of_the_advertiser_itself_is_not_permitted(int code, TikTokOutcome outcome)
    {
        var result = TokenCheck.OfAdvertiser(Answers.Failed<AdvertiserInfoList>(code, outcome), Advertiser);

        Assert.Equal(ConnectOutcome.AdvertiserNotPermitted, result?.Outcome);
    }

    [Theory]
    [InlineData(TikTokCodes.InternalError, TikTokOutcome.Transient)]
    [InlineData(TikTokCodes.RateLimited, TikTokOutcome.Throttled)]
    [InlineData(TikTokCodes.Timeout, TikTokOutcome.Transient)]
    public void An_outage_answers_unavailable_and_nothing_is_saved(int code, TikTokOutcome outcome)
    {
        var result = TokenCheck.OfPixel(Answers.Failed<PixelList>(code, outcome), Advertiser, "PIXEL1");

        Assert.Equal(ConnectOutcome.TikTokUnavailable, result?.Outcome);
        Assert.Contains("nothing was saved", result?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pixel_the_advertiser_does_not_list_is_not_permitted()
    {
        var result = TokenCheck.OfPixel(Pixels("OTHER"), Advertiser, "PIXEL1");

        Assert.Equal(ConnectOutcome.PixelNotPermitted, result?.Outcome);
    }
}
