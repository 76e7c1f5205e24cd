namespace TikTokAds.Contracts.Audiences;

/// <summary>
/// The organizer's ad groups at TikTok and which of its audiences are applied to them (key: organizer id).
/// Applying and disconnecting go to TikTok first; what TikTok accepted is kept here to show.
/// </summary>
public interface IExclusionGrain : IGrainWithStringKey
{
    Task<AdGroupsResult> ListAdGroupsAsync(string advertiserId, CancellationToken cancellationToken = default);

    /// <summary>Applies the audience to the ad groups with usage mode INCLUDE or EXCLUDE.</summary>
    Task<ExclusionResult> ApplyAsync(string audienceId, IReadOnlyList<string> adGroupIds, string usageMode, CancellationToken cancellationToken = default);

    Task<ExclusionResult> DisconnectAsync(string audienceId, IReadOnlyList<string> adGroupIds, CancellationToken cancellationToken = default);

    Task<ExclusionResult> GetAsync(string audienceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The audience was deleted (TikTok drops it from its ad groups): its record goes too. One-way: the deleting
    /// audience grain does not wait, because this grain calls audience grains and the two would deadlock.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task ForgetAsync(string audienceId, CancellationToken cancellationToken = default);
}
