using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TikTokAds.Runtime.Hosting;

/// <summary>How grain arguments, results and state become JSON: source-generated resolvers only.</summary>
public sealed class GrainJsonOptions
{
    public IList<IJsonTypeInfoResolver> Resolvers { get; } = [];

    /// <summary>Exception types a grain may throw that are rebuilt as themselves on the calling node.</summary>
    public IList<Type> TransportableExceptions { get; } =
    [
        typeof(InconsistentStateException),
        typeof(GrainCallTimeoutException),
        typeof(ClusterUnavailableException),
        typeof(ArgumentException),
        typeof(InvalidOperationException),
    ];

    internal JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. Resolvers, RuntimeJsonContext.Default]),
        };
        options.MakeReadOnly();
        return options;
    }
}
