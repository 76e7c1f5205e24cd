using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;

namespace TikTokAds.Grains.Audiences;

/// <summary>One organizer's exclusion lists: its audiences applied to its ad groups, changed at TikTok first, then recorded.</summary>
[Orleans.Placement.HashBasedPlacement]
public sealed class ExclusionGrain(
    [PersistentState("exclusions", GrainStorage.Name)] IPersistentState<ExclusionState> state,
    ExclusionTikTok tiktok,
    TimeProvider time) : Grain, IExclusionGrain
{
    private string OrganizerId => this.GetPrimaryKeyString();

    public Task<AdGroupsResult> ListAdGroupsAsync(string advertiserId, CancellationToken cancellationToken = default)
        => tiktok.ListAsync(GrainFactory.Organizer(OrganizerId), OrganizerId, advertiserId, cancellationToken);

    public Task<ExclusionResult> ApplyAsync(string audienceId, IReadOnlyList<string> adGroupIds, string usageMode, CancellationToken cancellationToken = default)
        => ChangeAsync(audienceId, adGroupIds, usageMode, cancellationToken);

    public Task<ExclusionResult> DisconnectAsync(string audienceId, IReadOnlyList<string> adGroupIds, CancellationToken cancellationToken = default)
        => ChangeAsync(audienceId, adGroupIds, null, cancellationToken);

    public async Task<ExclusionResult> GetAsync(string audienceId, CancellationToken cancellationToken = default)
        => await GrainFactory.Audience(OrganizerId, audienceId).GetAsync(cancellationToken) is { } audience
            ? Result(ExclusionOutcome.Ok, audience, 0, "Applied ad groups.")
            : NotFound(audienceId);

    public async Task ForgetAsync(string audienceId, CancellationToken cancellationToken = default)
    {
        if (state.State.Applied.ContainsKey(audienceId))
        {
            await state.WriteAsync(ExclusionBook.Disconnect(state.State, audienceId, [.. ExclusionBook.Of(state.State, audienceId).Select(a => a.AdGroupId)]), cancellationToken);
        }
    }

    private async Task<ExclusionResult> ChangeAsync(string audienceId, IReadOnlyList<string> adGroupIds, string? usageMode, CancellationToken cancellationToken)
    {
        if (await GrainFactory.Audience(OrganizerId, audienceId).GetAsync(cancellationToken) is not { TikTokAudienceId: not null } audience)
        {
            return NotFound(audienceId);
        }
        if (await tiktok.ApplyAsync(GrainFactory.Organizer(OrganizerId), OrganizerId, audience, adGroupIds, usageMode, cancellationToken) is { } refused)
        {
            return Result(refused.Outcome, audience, refused.Code, refused.Message);
        }
        // Not cancelled from here: TikTok has made the change, so the record of it must not be abandoned with the caller.
        var next = usageMode is null
            ? ExclusionBook.Disconnect(state.State, audienceId, adGroupIds)
            : ExclusionBook.Apply(state.State, audienceId, adGroupIds, usageMode, time.GetUtcNow());
        await state.WriteAsync(next, CancellationToken.None);
        return Result(ExclusionOutcome.Ok, audience, 0, usageMode is null ? $"Disconnected from {adGroupIds.Count} ad group(s)." : $"Applied to {adGroupIds.Count} ad group(s) as {usageMode}.");
    }

    private ExclusionResult Result(ExclusionOutcome outcome, AudienceView audience, int code, string message)
        => new(outcome, audience.AdvertiserId, audience.TikTokAudienceId, ExclusionBook.Of(state.State, audience.Id), code, message);

    private static ExclusionResult NotFound(string audienceId) => new(ExclusionOutcome.AudienceNotFound, null, null, [], 0, $"No audience {audienceId}.");
}
