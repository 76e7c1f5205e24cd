using System.Buffers;
using System.Text.Json;
using TikTokAds.Runtime.Internal;

namespace TikTokAds.Runtime.Transport;

/// <summary>The JSON shape of a call and of its answer between nodes.</summary>
/// <remarks>Request: {"grain","key","method","args":[…]}. Answer: {"result":…} or {"error":{"type","message"}}.</remarks>
internal static class CallEnvelope
{
    public static byte[] WriteRequest(GrainId grainId, GrainMethod method, object?[] arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("grain", grainId.Type);
            writer.WriteString("key", grainId.Key);
            writer.WriteString("method", method.Name);
            writer.WriteStartArray("args");
            for (var i = 0; i < method.ParameterTypeInfos.Length; i++)
            {
                JsonSerializer.Serialize(writer, i < arguments.Length ? arguments[i] : null, method.ParameterTypeInfos[i]);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static (string Grain, string Key, string Method, JsonElement Args) ReadRequest(JsonDocument document)
    {
        var root = document.RootElement;
        var args = root.GetProperty("args");
        if (args.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("'args' must be an array.");
        }
        return (root.GetProperty("grain").GetString() ?? "", root.GetProperty("key").GetString() ?? "", root.GetProperty("method").GetString() ?? "", args);
    }

    public static object?[] ReadArguments(GrainMethod method, JsonElement args)
    {
        if (args.GetArrayLength() != method.ParameterTypeInfos.Length)
        {
            throw new JsonException($"{method.Name} takes {method.ParameterTypeInfos.Length} arguments, not {args.GetArrayLength()}.");
        }
        var values = new object?[method.ParameterTypeInfos.Length];
        var i = 0;
        foreach (var element in args.EnumerateArray())
        {
            values[i] = element.Deserialize(method.ParameterTypeInfos[i]);
            i++;
        }
        return values;
    }

    public static byte[] WriteResult(GrainMethod method, object? result)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            if (method.ResultTypeInfo is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, result, method.ResultTypeInfo);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] WriteError(Exception exception)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("type", exception.GetType().FullName);
            writer.WriteString("message", exception.Message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The result, or the remote exception rebuilt as a transportable type or a <see cref="RemoteGrainException"/>.</summary>
    public static object? ReadResponse(GrainMethod method, ReadOnlySpan<byte> body, TransportableExceptions exceptions, string nodeId)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            var type = error.GetProperty("type").GetString() ?? "";
            var message = error.GetProperty("message").GetString() ?? "";
            throw exceptions.Rebuild(type, message, nodeId);
        }
        var result = root.GetProperty("result");
        return method.ResultTypeInfo is null ? null : result.Deserialize(method.ResultTypeInfo);
    }
}
