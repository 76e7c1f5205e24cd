using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace TikTokAds.Node.Cluster;

/// <summary>The rules a single attribute cannot state: a certificate when clustered, distinct ports, and an advertised address that is an IP or a host name.</summary>
internal sealed class ClusterNodeOptionsValidator(IConfiguration configuration) : IValidateOptions<ClusterNodeOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterNodeOptions options)
    {
        if (PostgresConnection.Of(configuration) is not null && options.CertificatePath is null && !options.AllowPlaintext)
        {
            return ValidateOptionsResult.Fail("Cluster:CertificatePath is required when clustered: nodes talk over mutual TLS with the cluster certificate (create one with the cluster-cert command), or set Cluster:AllowPlaintext=true on a private network you trust.");
        }
        if (options.CertificatePath is { } path && !File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"Cluster:CertificatePath '{path}' does not exist.");
        }
        if (options.GatewayPort == options.SiloPort)
        {
            return ValidateOptionsResult.Fail($"Cluster:GatewayPort ({options.GatewayPort}) must differ from Cluster:SiloPort.");
        }
        if (options.AdvertisedAddress is { } address && Uri.CheckHostName(address) is not (UriHostNameType.IPv4 or UriHostNameType.IPv6 or UriHostNameType.Dns))
        {
            return ValidateOptionsResult.Fail($"Cluster:AdvertisedAddress '{address}' is neither an IP address nor a host name.");
        }
        return ValidateOptionsResult.Success;
    }

    /// <summary>The IPv4 address (or else IPv6) other silos dial. A name that does not resolve stops the start with a message naming the setting.</summary>
    public static IPAddress Resolve(string address)
    {
        if (IPAddress.TryParse(address, out var ip))
        {
            return ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)
                ? throw new OptionsValidationException(ClusterNodeOptions.SectionName, typeof(ClusterNodeOptions), [$"Cluster:AdvertisedAddress {address} is a wildcard; give the address other silos dial."])
                : ip;
        }
        try
        {
            var addresses = Dns.GetHostAddresses(address);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.First();
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            throw new OptionsValidationException(ClusterNodeOptions.SectionName, typeof(ClusterNodeOptions), [$"Cluster:AdvertisedAddress '{address}' does not resolve to an address here."]);
        }
    }
}
