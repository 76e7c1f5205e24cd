using TikTokAds.Contracts.Alerts;
using TikTokAds.Contracts.Assurance;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Leads;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Contracts.Segments;

namespace TikTokAds.Contracts;

/// <summary>References to our grains, always through <see cref="GrainKeys"/>.</summary>
public static class GrainFactoryExtensions
{
    public static IOrganizerGrain Organizer(this IGrainFactory grains, string organizerId) => grains.GetGrain<IOrganizerGrain>(GrainKeys.Organizer(organizerId));

    public static IOrganizerDirectoryGrain OrganizerDirectory(this IGrainFactory grains) => grains.GetGrain<IOrganizerDirectoryGrain>(GrainKeys.Directory);

    public static IApiKeyGrain ApiKey(this IGrainFactory grains, string keyHash) => grains.GetGrain<IApiKeyGrain>(GrainKeys.ApiKey(keyHash));

    public static IPixelGrain Pixel(this IGrainFactory grains, string organizerId, string pixelId) => grains.GetGrain<IPixelGrain>(GrainKeys.Pixel(organizerId, pixelId));

    public static IAudienceGrain Audience(this IGrainFactory grains, string organizerId, string audienceId) => grains.GetGrain<IAudienceGrain>(GrainKeys.Audience(organizerId, audienceId));

    public static IAudienceDirectoryGrain AudienceDirectory(this IGrainFactory grains, string organizerId) => grains.GetGrain<IAudienceDirectoryGrain>(GrainKeys.Organizer(organizerId));

    public static IExclusionGrain Exclusions(this IGrainFactory grains, string organizerId) => grains.GetGrain<IExclusionGrain>(GrainKeys.Organizer(organizerId));

    public static ILeadConversionGrain LeadConversions(this IGrainFactory grains, string organizerId) => grains.GetGrain<ILeadConversionGrain>(GrainKeys.Organizer(organizerId));

    public static ILeadInboxGrain LeadInbox(this IGrainFactory grains, string organizerId) => grains.GetGrain<ILeadInboxGrain>(GrainKeys.Organizer(organizerId));

    public static IAlertGrain Alerts(this IGrainFactory grains, string organizerId) => grains.GetGrain<IAlertGrain>(GrainKeys.Organizer(organizerId));

    public static ILeadRouterGrain LeadRouter(this IGrainFactory grains, string advertiserId) => grains.GetGrain<ILeadRouterGrain>(GrainKeys.LeadRouter(advertiserId));

    public static IReconciliationGrain Reconciliation(this IGrainFactory grains, string organizerId, string pixelId) => grains.GetGrain<IReconciliationGrain>(GrainKeys.Pixel(organizerId, pixelId));

    public static IMatchQualityGrain MatchQuality(this IGrainFactory grains, string organizerId, string pixelId) => grains.GetGrain<IMatchQualityGrain>(GrainKeys.Pixel(organizerId, pixelId));

    public static ISegmentGrain Segment(this IGrainFactory grains, string organizerId, string segmentId) => grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(organizerId, segmentId));

    public static ISegmentDirectoryGrain SegmentDirectory(this IGrainFactory grains, string organizerId) => grains.GetGrain<ISegmentDirectoryGrain>(GrainKeys.Organizer(organizerId));

    public static IBuyerDataGrain BuyerData(this IGrainFactory grains, string organizerId) => grains.GetGrain<IBuyerDataGrain>(GrainKeys.Organizer(organizerId));
}
