using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using static TikTokAds.Runtime.Tests.Cluster.TestCluster;

namespace TikTokAds.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class NodeToNodeSecurityTests
{
    private const string Body = """{"grain":"probe","key":"secured","method":"WhereAsync","args":[]}""";

    [Fact]
    public async Task The_node_to_node_endpoint_accepts_only_calls_signed_with_the_cluster_secret()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        var node = cluster.Nodes[0];
        var nodeId = await NodeIdAsync(node);

        using var unsigned = await PostAsync(node, headers: []);
        using var wrongSecret = await PostAsync(node, Sign("not-the-cluster-secret", nodeId));
        using var signed = await PostAsync(node, Sign(Secret, nodeId));

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Contains(nodeId, await signed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(Testing.NodeProcess node, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_cluster/call") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return await node.Http.SendAsync(request);
    }

    // Written out independently of the runtime's signer: HMAC-SHA256(secret, "{timestamp}\n{target}\n" + body).
    private static Dictionary<string, string> Sign(string secret, string target)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{target}\n{Body}"));
        return new()
        {
            ["X-Cluster-Target"] = target,
            ["X-Cluster-Timestamp"] = timestamp,
            ["X-Cluster-Signature"] = Convert.ToHexStringLower(signature),
        };
    }
}
