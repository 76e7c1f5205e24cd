using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TikTokAds.Runtime.Hosting;

namespace TikTokAds.Runtime.Internal;

/// <summary>This process's node id: a readable name plus a random suffix, new on every start.</summary>
internal sealed class NodeIdentity(IOptions<ClusterOptions> options)
{
    public string NodeId { get; } = Create(options.Value.NodeName);

    private static string Create(string? name)
    {
        var prefix = string.IsNullOrWhiteSpace(name) ? Environment.MachineName.ToLowerInvariant() : name.Trim();
        return $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
