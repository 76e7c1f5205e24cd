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
    public static IOrganizerGrain Organizer(this IGrainFactory grains, string organizerId) => grains.Get<IOrganizerGrain>(GrainKeys.Organizer(organizerId));

    public static IOrganizerDirectoryGrain OrganizerDirectory(this IGrainFactory grains) => grains.Get<IOrganizerDirectoryGrain>(GrainKeys.Directory);

    public static IApiKeyGrain ApiKey(this IGrainFactory grains, string keyHash) => grains.Get<IApiKeyGrain>(GrainKeys.ApiKey(keyHash));

    public static IPixelGrain Pixel(this IGrainFactory grains, string organizerId, string pixelId) => grains.Get<IPixelGrain>(GrainKeys.Pixel(organizerId, pixelId));

    public static IAudienceGrain Audience(this IGrainFactory grains, string organizerId, string audienceId) => grains.Get<IAudienceGrain>(GrainKeys.Audience(organizerId, audienceId));

    public static IAudienceDirectoryGrain AudienceDirectory(this IGrainFactory grains, string organizerId) => grains.Get<IAudienceDirectoryGrain>(GrainKeys.Organizer(organizerId));

    public static IExclusionGrain Exclusions(this IGrainFactory grains, string organizerId) => grains.Get<IExclusionGrain>(GrainKeys.Organizer(organizerId));

    public static ILeadConversionGrain LeadConversions(this IGrainFactory grains, string organizerId) => grains.Get<ILeadConversionGrain>(GrainKeys.Organizer(organizerId));

    public static ILeadInboxGrain LeadInbox(this IGrainFactory grains, string organizerId) => grains.Get<ILeadInboxGrain>(GrainKeys.Organizer(organizerId));

    public static IAlertGrain Alerts(this IGrainFactory grains, string organizerId) => grains.Get<IAlertGrain>(GrainKeys.Organizer(organizerId));

    public static ILeadRouterGrain LeadRouter(this IGrainFactory grains, string advertiserId) => grains.Get<ILeadRouterGrain>(GrainKeys.LeadRouter(advertiserId));

    public static IReconciliationGrain Reconciliation(this IGrainFactory grains, string organizerId, string pixelId) => grains.Get<IReconciliationGrain>(GrainKeys.Pixel(organizerId, pixelId));

    public static IMatchQualityGrain MatchQuality(this IGrainFactory grains, string organizerId, string pixelId) => grains.Get<IMatchQualityGrain>(GrainKeys.Pixel(organizerId, pixelId));

    public static ISegmentGrain Segment(this IGrainFactory grains, string organizerId, string segmentId) => grains.Get<ISegmentGrain>(GrainKeys.Segment(organizerId, segmentId));

    public static ISegmentDirectoryGrain SegmentDirectory(this IGrainFactory grains, string organizerId) => grains.Get<ISegmentDirectoryGrain>(GrainKeys.Organizer(organizerId));

    public static IBuyerDataGrain BuyerData(this IGrainFactory grains, string organizerId) => grains.Get<IBuyerDataGrain>(GrainKeys.Organizer(organizerId));

    /// <summary>
    /// Orleans' <c>GetGrain&lt;T&gt;(string)</c> reads the interface's attributes by reflection on every call (4.6% of the
    /// node's busy samples under single events). The grain and interface types are fixed per interface, so they are
    /// resolved once, from the first reference, and later references are made from the id alone.
    /// </summary>
    private static T Get<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        if (ResolvedTypes<T>.Types is { } types)
        {
            return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }
        var reference = grains.GetGrain<T>(key);
        var resolved = (GrainReference)(object)reference;
        ResolvedTypes<T>.Types = new ResolvedType(resolved.GrainId.Type, resolved.InterfaceType);
        return reference;
    }

    private static class ResolvedTypes<T>
    {
        // A reference, so threads racing on the first call read it whole or not at all.
        public static ResolvedType? Types;
    }

    private sealed record ResolvedType(GrainType Grain, GrainInterfaceType Interface);
}
