using System.Text;
using TikTokAds.Runtime.Transport;

namespace TikTokAds.Runtime.Tests.Unit;

public sealed class ClusterCallSignerTests
{
    private const string Secret = "a-cluster-secret-of-some-length";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"grain":"pixel","key":"p","method":"M","args":[]}""");

    [Fact]
    public void A_signature_verifies_for_its_target_and_body()
    {
        var signer = new ClusterCallSigner(Secret, TimeProvider.System);
        var (timestamp, signature) = signer.Sign("node-a", Body);

        Assert.True(signer.Verify(timestamp, signature, "node-a", Body));
    }

    [Fact]
    public void Another_target_another_body_or_another_secret_does_not_verify()
    {
        var signer = new ClusterCallSigner(Secret, TimeProvider.System);
        var (timestamp, signature) = signer.Sign("node-a", Body);

        Assert.False(signer.Verify(timestamp, signature, "node-b", Body));
        Assert.False(signer.Verify(timestamp, signature, "node-a", [.. Body, (byte)' ']));
        Assert.False(new ClusterCallSigner("another-secret-of-some-length", TimeProvider.System).Verify(timestamp, signature, "node-a", Body));
        Assert.False(signer.Verify(null, null, "node-a", Body));
        Assert.False(signer.Verify(timestamp, "not-hex", "node-a", Body));
    }

    [Fact]
    public void An_old_signature_expires()
    {
        var past = new ShiftedTimeProvider(TimeSpan.FromMinutes(-10));
        var (timestamp, signature) = new ClusterCallSigner(Secret, past).Sign("node-a", Body);

        Assert.False(new ClusterCallSigner(Secret, TimeProvider.System).Verify(timestamp, signature, "node-a", Body));
    }

    private sealed class ShiftedTimeProvider(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
