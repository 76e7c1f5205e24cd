using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TikTokAds.Node.Cluster;

namespace TikTokAds.Node.Cli;

/// <summary>
/// `cluster-cert create --out cluster.pfx [--password P] [--days 825]`: a new cluster certificate for
/// Cluster:CertificatePath. Every node of the cluster gets the same file; a node with another one is refused.
/// </summary>
internal static class ClusterCertificateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        if (args.Length < 2 || args[1] != "create" || !options.TryGetValue("out", out var path))
        {
            await Console.Error.WriteLineAsync("usage: cluster-cert create --out cluster.pfx [--password P] [--days 825]");
            return 2;
        }
        if (File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"cluster-cert: {path} exists; a cluster keeps its certificate until it is rotated (see docs/SECURITY.md).");
            return 1;
        }
        var days = options.TryGetValue("days", out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 825;
        var password = options.GetValueOrDefault("password");
        var pkcs12 = ClusterCertificate.Create(password, TimeSpan.FromDays(days));
        await File.WriteAllBytesAsync(path, pkcs12);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        using var certificate = X509CertificateLoader.LoadPkcs12(pkcs12, password);
        await Console.Out.WriteLineAsync($"cluster-cert: wrote {path} (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}, valid until {certificate.NotAfter:yyyy-MM-dd}).");
        await Console.Out.WriteLineAsync("Give every node the same file: Cluster__CertificatePath (and Cluster__CertificatePassword if you set one).");
        return 0;
    }
}
