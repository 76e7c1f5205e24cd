using System.Text.Json.Serialization;

namespace TikTokAds.Runtime.Hosting;

/// <summary>The types every grain may use without registering a resolver of its own.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(TimeSpan))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(TickStatus))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
