using System.Text.Json.Serialization;
using TikTokAds.Runtime.TestNode.Grains;

namespace TikTokAds.Runtime.TestNode;

[JsonSerializable(typeof(ProbeInfo))]
[JsonSerializable(typeof(ProbeState))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<GrainId>))]
public sealed partial class TestGrainJsonContext : JsonSerializerContext;
