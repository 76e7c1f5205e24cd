using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Node.Cluster;

/// <summary>
/// How a node joins the cluster (section "Cluster"). Used when ConnectionStrings:Postgres is set; the
/// embedded default runs one silo on free loopback ports whatever these say.
/// </summary>
public sealed class ClusterNodeOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Silo-to-silo port: other nodes dial it at <see cref="AdvertisedAddress"/>.</summary>
    [Range(1, 65535, ErrorMessage = "Cluster:SiloPort must be a port from 1 to 65535.")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans clients (the CLI); 0 turns the gateway off.</summary>
    [Range(0, 65535, ErrorMessage = "Cluster:GatewayPort must be a port from 1 to 65535, or 0 for no gateway.")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos dial: an IP, or a host name that resolves (node1 in docker-compose). Unset: 127.0.0.1.</summary>
    public string? AdvertisedAddress { get; set; }

    [Required(ErrorMessage = "Cluster:ClusterId is required.")]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", ErrorMessage = "Cluster:ClusterId must be 1 to 100 letters, digits, '.', '_' or '-'.")]
    public string ClusterId { get; set; } = "tiktokads";

    /// <summary>Names the service's state and reminders: keep it for the life of the data.</summary>
    [Required(ErrorMessage = "Cluster:ServiceId is required.")]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", ErrorMessage = "Cluster:ServiceId must be 1 to 100 letters, digits, '.', '_' or '-'.")]
    public string ServiceId { get; set; } = "tiktokads";

    /// <summary>
    /// The cluster certificate (PKCS#12) every node presents and pins: silo-to-silo and gateway traffic is
    /// mutual TLS, and a node with another certificate is refused. Create one with `cluster-cert create`.
    /// </summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Runs a clustered node without TLS between nodes (logged loudly at start). Only for a private network you trust.</summary>
    public bool AllowPlaintext { get; set; }

    /// <summary>Shortest reminder period Orleans accepts (1 minute, as Orleans' default); tests lower it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Cluster:MinimumReminderPeriod must be from 00:00:00.100 to 01:00:00.")]
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
