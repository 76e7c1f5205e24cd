using TikTokAds.Node.Cluster;

namespace TikTokAds.Node.Tests;

/// <summary>Cluster certificates for the test run, made once per process by the same code as `cluster-cert create`.</summary>
internal static class ClusterTestCertificates
{
    private static readonly Lazy<string> Shared = new(() => Write("cluster"));
    private static readonly Lazy<string> Stranger = new(() => Write("stranger"));

    /// <summary>The certificate of every test cluster.</summary>
    public static string Cluster => Shared.Value;

    /// <summary>Another valid certificate: a node holding it must not join a cluster of the first.</summary>
    public static string Other => Stranger.Value;

    private static string Write(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tiktokads-{name}-{Environment.ProcessId}.pfx");
        File.WriteAllBytes(path, ClusterCertificate.Create(null, TimeSpan.FromDays(2)));
        return path;
    }
}
