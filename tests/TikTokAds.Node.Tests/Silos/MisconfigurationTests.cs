using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>A clustered node with a bad Cluster setting refuses to start, with one message that names the setting.</summary>
public sealed class MisconfigurationTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "Cluster:SiloPort", "0", "Cluster:SiloPort must be a port" },
        { "Cluster:GatewayPort", "70000", "Cluster:GatewayPort must be a port" },
        { "Cluster:ClusterId", "bad id!", "Cluster:ClusterId must be" },
        { "Cluster:AdvertisedAddress", "no-such-node.invalid", "Cluster:AdvertisedAddress 'no-such-node.invalid' does not resolve" },
        { "Cluster:AdvertisedAddress", "0.0.0.0", "Cluster:AdvertisedAddress 0.0.0.0 is a wildcard" },
        { "Cluster:CertificatePath", "/nonexistent/cluster.pfx", "Cluster:CertificatePath '/nonexistent/cluster.pfx' does not exist" },
        { "Cluster:CertificatePassword", "wrong-password", "Cluster:CertificatePath" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_clustered_node_with_a_bad_cluster_setting_refuses_to_start_and_names_it(string key, string value, string message)
    {
        var settings = await ClusterSettings.CreateAsync("misconfigured", new() { [key] = value });
        await using var node = NodeProcess.Start(NodeCli.NodeAssembly, settings);

        var exited = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exited, $"the node kept running with {key}={value}");
        Assert.Contains(message, node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clustered_node_without_a_certificate_refuses_to_start_unless_plaintext_is_allowed_out_loud()
    {
        var settings = await ClusterSettings.CreateAsync("nocert");
        settings.Remove("Cluster:CertificatePath");
        await using var refused = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await using var plaintext = NodeProcess.Start(NodeCli.NodeAssembly, new Dictionary<string, string>(settings) { ["Cluster:AllowPlaintext"] = "true" });

        var exited = await refused.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await plaintext.WaitReadyAsync();

        Assert.True(exited);
        Assert.Contains("Cluster:CertificatePath is required when clustered", refused.Output, StringComparison.Ordinal);
        Assert.Contains("Cluster:AllowPlaintext is set: traffic between nodes is NOT encrypted", plaintext.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Equal_silo_and_gateway_ports_are_refused()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var settings = await ClusterSettings.CreateAsync("sameports", new() { ["Cluster:SiloPort"] = port, ["Cluster:GatewayPort"] = port });
        await using var node = NodeProcess.Start(NodeCli.NodeAssembly, settings);

        var exited = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exited);
        Assert.Contains("Cluster:GatewayPort", node.Output, StringComparison.Ordinal);
    }
}
