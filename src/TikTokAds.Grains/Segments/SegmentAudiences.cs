using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Segments;
using TikTokAds.Grains.Audiences;

namespace TikTokAds.Grains.Segments;

/// <summary>A segment's ties to its audience: which audience it binds to, and what the audience's runs say.</summary>
internal static class SegmentAudiences
{
    /// <summary>
    /// The definition with its audience resolved: the named one (which must be the organizer's, under the same
    /// advertiser when one is named), the one already bound when none is named, or a new one made at TikTok.
    /// </summary>
    public static async Task<(SegmentDefinition? Definition, SegmentResult? Failure)> BindAsync(
        IGrainFactory grains, string organizerId, SegmentDefinition definition, SegmentDefinition? current, CancellationToken cancellationToken)
    {
        var audienceId = definition.AudienceId ?? current?.AudienceId;
        if (audienceId is not null)
        {
            if (await grains.Audience(organizerId, audienceId).GetAsync(cancellationToken) is not { } audience)
            {
                return (null, new SegmentResult(SegmentOutcome.AudienceNotFound, null, $"No audience {audienceId}."));
            }
            if (definition.AdvertiserId is { } advertiser && advertiser != audience.AdvertiserId)
            {
                return (null, new SegmentResult(SegmentOutcome.AdvertiserMismatch, null, $"Audience {audienceId} belongs to another advertiser than {advertiser}."));
            }
            return (definition with { AudienceId = audienceId, AdvertiserId = audience.AdvertiserId }, null);
        }
        var newId = $"aud_{Guid.NewGuid():N}"[..20];
        var schema = definition.Identifiers.Select(i => i == SegmentRule.Email ? SegmentRule.EmailSchema : SegmentRule.PhoneSchema).ToList();
        var created = await grains.Audience(organizerId, newId).CreateAsync(new AudienceCreateRequest(definition.AdvertiserId!, definition.Name, schema, false, null), cancellationToken);
        return created.Outcome == AudienceOutcome.Created
            ? (definition with { AudienceId = newId }, null)
            : (null, new SegmentResult(SegmentOutcome.AudienceRefused, null, created.Message, created.Outcome, created.Code));
    }

    /// <summary>
    /// Whether the audience is still busy for this run (its own queued runs, or, before the run queued any,
    /// anybody's), and the first error of the run's audience runs. Scheduled runs wait for their hour and do not block.
    /// </summary>
    public static (bool Busy, string? Error) Progress(AudienceView audience, IReadOnlyList<long>? queued)
    {
        var relevant = audience.Runs.Where(r => queued is null || queued.Contains(r.RunId)).ToList();
        var busy = relevant.Any(r => r.Status is not (OperationStatuses.Done or OperationStatuses.Failed or OperationStatuses.Scheduled));
        var error = relevant.FirstOrDefault(r => r.Status == OperationStatuses.Failed)?.Error;
        return (busy, queued is null ? null : error);
    }
}
