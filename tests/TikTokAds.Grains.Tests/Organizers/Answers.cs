using TikTokAds.TikTok;

namespace TikTokAds.Grains.Tests.Organizers;

/// <summary>TikTok's envelope as the client hands it back, for judging without a client.</summary>
internal static class Answers
{
    public static TikTokResponse<T> Ok<T>(T data) => new(TikTokCodes.Ok, "OK", "req", 200, TikTokOutcome.Success, data);

    public static TikTokResponse<T> Failed<T>(int code, TikTokOutcome outcome, string message = "refused") => new(code, message, "req", 200, outcome, default);
}
