using System.Text.Json.Serialization;
using TikTokAds.Grains.Organizers;

namespace TikTokAds.Grains;

/// <summary>Grain state as stored (grain_state.payload).</summary>
[JsonSerializable(typeof(OrganizerState))]
[JsonSerializable(typeof(ApiKeyState))]
[JsonSerializable(typeof(OrganizerDirectoryState))]
[JsonSerializable(typeof(Events.PixelState))]
[JsonSerializable(typeof(Audiences.AudienceState))]
[JsonSerializable(typeof(Audiences.AudienceDirectoryState))]
[JsonSerializable(typeof(Audiences.ExclusionState))]
[JsonSerializable(typeof(Leads.LeadRouterState))]
[JsonSerializable(typeof(Leads.LeadInboxState))]
[JsonSerializable(typeof(Leads.LeadConversionState))]
[JsonSerializable(typeof(Alerts.AlertState))]
[JsonSerializable(typeof(Assurance.ReconciliationState))]
[JsonSerializable(typeof(Segments.SegmentState))]
[JsonSerializable(typeof(Segments.SegmentDirectoryState))]
internal sealed partial class GrainsJsonContext : JsonSerializerContext;
