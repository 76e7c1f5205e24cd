using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Grains.Leads;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>
/// A node with production call-back rules (no private receivers) whose call-back hosts resolve through
/// <see cref="Names"/> instead of the machine's DNS; a name not listed does not resolve.
/// </summary>
public sealed class FakeDnsGatewayFactory : GatewayFactory
{
    public Dictionary<string, IPAddress[]> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(new CallbackHosts((host, _) =>
            Names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : throw new SocketException((int)SocketError.HostNotFound))));
    }
}
