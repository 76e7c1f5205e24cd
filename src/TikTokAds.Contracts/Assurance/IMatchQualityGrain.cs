namespace TikTokAds.Contracts.Assurance;

/// <summary>
/// Match quality of one pixel (key: "{organizerId}/{pixelId}"): the share of its stored events carrying
/// each match key over a window, compared with the window before. Reads only; any node may answer.
/// </summary>
public interface IMatchQualityGrain : IGrainWithStringKey
{
    Task<MatchQualityReport> GetAsync(TimeSpan window, CancellationToken cancellationToken = default);
}
