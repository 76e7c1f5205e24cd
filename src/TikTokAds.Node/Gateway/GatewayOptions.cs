using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Node.Gateway;

/// <summary>The public API's limits (section "Gateway").</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Sustained requests per second per organizer before 429.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests an organizer may burst above the sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;

    /// <summary>How long a node trusts a key it resolved; bounds how late a revoke is seen elsewhere.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ApiKeyCacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}
