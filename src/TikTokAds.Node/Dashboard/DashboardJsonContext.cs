using System.Text.Json.Serialization;

namespace TikTokAds.Node.Dashboard;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NodeReport))]
[JsonSerializable(typeof(OverviewResponse))]
[JsonSerializable(typeof(RemindersResponse))]
[JsonSerializable(typeof(PixelRow[]))]
[JsonSerializable(typeof(AudienceRow[]))]
[JsonSerializable(typeof(IReadOnlyList<Contracts.Events.EventStatusView>))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
