using System.Text.Json.Serialization;
using TikTokAds.Orleans.Abstractions.Audiences;
using TikTokAds.Orleans.Abstractions.Events;
using TikTokAds.Orleans.Abstractions.Organizers;

namespace TikTokAds.Orleans.Abstractions;

/// <summary>Every message type that crosses nodes or lands in grain state.</summary>
[JsonSerializable(typeof(OrganizerInfo))]
[JsonSerializable(typeof(NewApiKey))]
[JsonSerializable(typeof(ApiKeyInfo))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyInfo>))]
[JsonSerializable(typeof(IReadOnlyList<OrganizerInfo>))]
[JsonSerializable(typeof(ConnectRequest))]
[JsonSerializable(typeof(ConnectResult))]
[JsonSerializable(typeof(ConnectionView))]
[JsonSerializable(typeof(IReadOnlyList<ConnectionView>))]
[JsonSerializable(typeof(ConnectionSecret))]
[JsonSerializable(typeof(DisconnectResult))]
[JsonSerializable(typeof(PixelEvent))]
[JsonSerializable(typeof(IReadOnlyList<PixelEvent>))]
[JsonSerializable(typeof(EventOutcome))]
[JsonSerializable(typeof(IReadOnlyList<EventOutcome>))]
[JsonSerializable(typeof(EventStatusView))]
[JsonSerializable(typeof(IReadOnlyList<EventStatusView>))]
[JsonSerializable(typeof(PixelStatusView))]
[JsonSerializable(typeof(AudienceCreateRequest))]
[JsonSerializable(typeof(AudienceSyncRequest))]
[JsonSerializable(typeof(LookalikeRequest))]
[JsonSerializable(typeof(AudienceResult))]
[JsonSerializable(typeof(SyncResult))]
[JsonSerializable(typeof(AudienceView))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
public sealed partial class AbstractionsJsonContext : JsonSerializerContext;
