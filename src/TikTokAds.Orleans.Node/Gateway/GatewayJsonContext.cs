using System.Text.Json.Serialization;
using TikTokAds.Orleans.Node.Apis;

namespace TikTokAds.Orleans.Node.Gateway;

/// <summary>The public API's JSON: snake_case as in the seed, numbers as numbers (no strings).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateOrganizerBody))]
[JsonSerializable(typeof(OrganizerCreated))]
[JsonSerializable(typeof(OrganizerView))]
[JsonSerializable(typeof(OrganizerView[]))]
[JsonSerializable(typeof(IssuedKey))]
[JsonSerializable(typeof(KeyView[]))]
[JsonSerializable(typeof(ConnectBody))]
[JsonSerializable(typeof(ConnectionResponse))]
[JsonSerializable(typeof(PixelConnection))]
[JsonSerializable(typeof(DisconnectResponse))]
[JsonSerializable(typeof(Apis.Events.EventBody))]
[JsonSerializable(typeof(Apis.Events.EventBatchBody))]
[JsonSerializable(typeof(Apis.Events.EventResult))]
[JsonSerializable(typeof(Apis.Events.BatchResult))]
[JsonSerializable(typeof(Apis.Events.EventStatusResponse))]
[JsonSerializable(typeof(Apis.Events.PixelStatusResponse))]
[JsonSerializable(typeof(Apis.Audiences.CreateAudienceBody))]
[JsonSerializable(typeof(Apis.Audiences.SyncBody))]
[JsonSerializable(typeof(Apis.Audiences.LookalikeBody))]
[JsonSerializable(typeof(Apis.Audiences.SyncAccepted))]
[JsonSerializable(typeof(Apis.Audiences.AudienceResponse))]
[JsonSerializable(typeof(Apis.Audiences.AudienceResponse[]))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
