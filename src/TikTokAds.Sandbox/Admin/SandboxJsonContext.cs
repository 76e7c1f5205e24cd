using System.Text.Json.Serialization;
using TikTokAds.Sandbox.State;

namespace TikTokAds.Sandbox.Admin;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<TrackRequestRecord>))]
[JsonSerializable(typeof(EventStats))]
[JsonSerializable(typeof(IReadOnlyList<FaultRule>))]
[JsonSerializable(typeof(FaultRule))]
[JsonSerializable(typeof(IReadOnlyList<WebhookDelivery>))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
