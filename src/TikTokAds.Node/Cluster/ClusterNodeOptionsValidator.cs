using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace TikTokAds.Node.Cluster;

/// <summary>The rules a single attribute cannot state: distinct ports, and an advertised address that is an IP or a host name.</summary>
internal sealed class ClusterNodeOptionsValidator : IValidateOptions<ClusterNodeOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterNodeOptions options)
    {
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
