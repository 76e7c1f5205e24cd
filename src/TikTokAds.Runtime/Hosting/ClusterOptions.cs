using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Runtime.Hosting;

/// <summary>Membership and node-to-node settings (section "Cluster").</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Shared secret that signs node-to-node calls. Required when clustered (at least 16 characters).</summary>
    public string? Secret { get; set; }

    /// <summary>The base URL other nodes use to reach this one, e.g. http://node1:8080. Defaults to the first listening address.</summary>
    public string? AdvertisedUrl { get; set; }

    /// <summary>A readable prefix for the node id; each start gets a fresh id, because a dead node never comes back.</summary>
    [MaxLength(40)]
    public string? NodeName { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A node whose last heartbeat, by database time, is older than this is declared dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DeathTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Time allowed to reach another node before the call is retried on a fresh view.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A client of the cluster, not a member: it reads membership and sends every call to the owner, but
    /// never registers, owns a grain or ticks a reminder. The CLI runs this way.
    /// </summary>
    public bool ClientOnly { get; set; }
}
