namespace TikTokAds.TikTok;

/// <summary>TikTok's envelope {code, message, request_id, data} and what it means.</summary>
public sealed record TikTokResponse<T>(int Code, string Message, string? RequestId, int HttpStatus, TikTokOutcome Outcome, T? Data)
{
    public bool IsSuccess => Outcome == TikTokOutcome.Success;

    /// <summary>The token was rejected in a way only reauthorisation fixes.</summary>
    public bool RequiresReauthorisation => TikTokResponseClassifier.RequiresReauthorisation(Code);

    public override string ToString() => $"{Outcome} (code {Code}, HTTP {HttpStatus}, request {RequestId ?? "-"}): {Message}";
}
