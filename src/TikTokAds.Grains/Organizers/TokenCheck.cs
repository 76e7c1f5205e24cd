using TikTokAds.Contracts.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Organizers;

/// <summary>
/// Whether TikTok lets a token operate an advertiser and its pixel, judged from advertiser/info and then
/// pixel/list: null when it may, otherwise the refusal to answer (and nothing is saved).
/// </summary>
public static class TokenCheck
{
    /// <summary>Both calls together wait this long for TikTok at most, well inside the grain call timeout.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    public static ConnectResult TimedOut { get; } = new(ConnectOutcome.TikTokUnavailable, null, TikTokCodes.Timeout, "TikTok did not answer in time; nothing was saved.");

    public static ConnectResult? OfAdvertiser(TikTokResponse<AdvertiserInfoList> answer, string advertiserId)
        => Judge(answer, answer.Data?.List?.Any(a => a.AdvertiserId == advertiserId) == true, advertiserId);

    public static ConnectResult? OfPixel(TikTokResponse<PixelList> answer, string advertiserId, string pixelId)
        => answer.IsSuccess && answer.Data?.Pixels?.Any(p => p.PixelCode == pixelId) != true
            ? new ConnectResult(ConnectOutcome.PixelNotPermitted, null, answer.Code, $"TikTok does not list pixel {pixelId} for advertiser {advertiserId} and this token.")
            : Judge(answer, true, advertiserId);

    private static ConnectResult? Judge<T>(TikTokResponse<T> answer, bool listed, string advertiserId)
        => answer.Outcome switch
        {
            TikTokOutcome.Success when listed => null,
            TikTokOutcome.Success => new ConnectResult(ConnectOutcome.AdvertiserNotPermitted, null, answer.Code, $"TikTok does not list advertiser {advertiserId} for this token."),
            TikTokOutcome.Authorization when answer.RequiresReauthorisation => new ConnectResult(ConnectOutcome.TokenRejected, null, answer.Code, $"TikTok rejected the access token: {answer.Message}"),
            TikTokOutcome.Authorization or TikTokOutcome.InvalidRequest => new ConnectResult(ConnectOutcome.AdvertiserNotPermitted, null, answer.Code, $"TikTok refused advertiser {advertiserId} for this token: {answer.Message}"),
            _ => new ConnectResult(ConnectOutcome.TikTokUnavailable, null, answer.Code, $"TikTok is not answering ({answer.Code}); nothing was saved."),
        };
}
