using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TikTokAds.Runtime.Transport;

/// <summary>
/// HMAC-SHA256 over the timestamp, the target node id and the body, keyed by Cluster:Secret. The secret
/// itself never crosses the wire, a signature is bound to one node, and old signatures expire.
/// </summary>
internal sealed class ClusterCallSigner(string secret, TimeProvider timeProvider)
{
    public const string NodeHeader = "X-Cluster-Node";
    public const string TargetHeader = "X-Cluster-Target";
    public const string TimestampHeader = "X-Cluster-Timestamp";
    public const string SignatureHeader = "X-Cluster-Signature";

    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(2);
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public (string Timestamp, string Signature) Sign(string targetNodeId, ReadOnlySpan<byte> body)
    {
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return (timestamp, Convert.ToHexStringLower(Compute(timestamp, targetNodeId, body)));
    }

    public bool Verify(string? timestamp, string? signature, string targetNodeId, ReadOnlySpan<byte> body)
    {
        if (timestamp is null || signature is null
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var millis)
            || (timeProvider.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(millis)).Duration() > MaxSkew)
        {
            return false;
        }
        Span<byte> presented = stackalloc byte[32];
        if (signature.Length != 64 || Convert.FromHexString(signature, presented, out _, out var written) != OperationStatus.Done || written != 32)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(presented, Compute(timestamp, targetNodeId, body));
    }

    private byte[] Compute(string timestamp, string targetNodeId, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{timestamp}\n{targetNodeId}\n"));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
