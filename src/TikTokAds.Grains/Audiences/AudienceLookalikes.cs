using TikTokAds.Contracts.Audiences;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Audiences;

/// <summary>What TikTok is asked for a lookalike of an audience.</summary>
public static class AudienceLookalikes
{
    /// <summary>The lookalike request: named after its source unless the caller named it; no location ids means TikTok's default.</summary>
    public static LookalikeCreateRequest Request(AudienceState source, LookalikeRequest request) => new()
    {
        AdvertiserId = source.AdvertiserId!,
        CustomAudienceName = request.Name ?? $"{source.Name} lookalike ({request.AudienceSize.ToLowerInvariant()})",
        LookalikeSpec = new LookalikeSpec
        {
            SourceAudienceId = source.TikTokAudienceId!,
            AudienceSize = request.AudienceSize,
            IncludeSource = request.IncludeSource,
            LocationIds = request.LocationIds.Count > 0 ? request.LocationIds : null,
        },
    };
}
