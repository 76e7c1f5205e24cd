using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>The leads that bought, by lead id (System.Text.Json, camelCase: renaming breaks stored state).</summary>
public sealed record LeadConversionState
{
    public IReadOnlyDictionary<string, LeadConversionView> Converted { get; init; } = new Dictionary<string, LeadConversionView>();
}
