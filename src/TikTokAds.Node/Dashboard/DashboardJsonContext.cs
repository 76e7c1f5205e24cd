using System.Text.Json.Serialization;

namespace TikTokAds.Node.Dashboard;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PixelRow[]))]
[JsonSerializable(typeof(AudiencesPage))]
[JsonSerializable(typeof(AlertRow[]))]
[JsonSerializable(typeof(PixelAssurance))]
[JsonSerializable(typeof(IReadOnlyList<ProblemReport>))]
[JsonSerializable(typeof(IReadOnlyList<Contracts.Events.EventStatusView>))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
