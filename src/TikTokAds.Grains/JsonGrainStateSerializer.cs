using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orleans.Storage;

namespace TikTokAds.Grains;

/// <summary>
/// How grain state is stored, in memory and in PostgreSQL: System.Text.Json, camelCase names, and no type
/// names. The reader always knows the state type it asks for, so renaming a type, namespace or assembly
/// leaves stored state readable; a renamed property is the only change that needs care.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(GrainsJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options);
}
