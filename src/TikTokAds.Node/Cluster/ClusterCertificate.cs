using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace TikTokAds.Node.Cluster;

/// <summary>
/// The one certificate every node of a cluster holds. Each node presents it and accepts a peer only if the
/// peer presents the very same certificate (pinned by its SHA-256 thumbprint), so the cluster needs no
/// certificate authority, and a node with any other certificate never joins.
/// </summary>
public static class ClusterCertificate
{
    public static X509Certificate2 Load(string path, string? password)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException ex)
        {
            throw new OptionsValidationException(ClusterNodeOptions.SectionName, typeof(ClusterNodeOptions),
                [$"Cluster:CertificatePath '{path}' is not a PKCS#12 file this Cluster:CertificatePassword opens ({ex.Message})."]);
        }
    }

    /// <summary>Mutual TLS with the cluster certificate: both sides must present it, and only it is accepted.</summary>
    public static void Configure(TlsOptions tls, X509Certificate2 certificate)
    {
        var pinned = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // A self-signed certificate never builds a trusted chain, and peers dial addresses it does not
        // name: the pin replaces both checks.
        tls.RemoteCertificateValidation = (remote, _, _) => remote is not null && Accepts(pinned, remote);
    }

    public static bool Accepts(string pinnedSha256, X509Certificate remote)
        => string.Equals(pinnedSha256, remote.GetCertHashString(HashAlgorithmName.SHA256), StringComparison.OrdinalIgnoreCase);

    /// <summary>A new self-signed cluster certificate (RSA 3072, server and client authentication), as PKCS#12.</summary>
    public static byte[] Create(string? password, TimeSpan validity)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=tiktokads-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + validity);
        return certificate.Export(X509ContentType.Pkcs12, password);
    }
}
