using TikTokAds.Grains.Organizers;
using static TikTokAds.Grains.Tests.Organizers.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class TokenRotationPlanTests
{
    [Fact]
    public void Only_tokens_under_another_key_are_rewritten()
    {
        var connections = new[] { Connection("P1", "1", keyId: "k1"), Connection("P2", "1", keyId: "k2") };

        var rotated = TokenRotation.Plan(connections, "k2", token => token.Replace("v1.k1.", "v1.k2.", StringComparison.Ordinal));

        var only = Assert.Single(rotated);
        Assert.Equal("P1", only.PixelId);
        Assert.Equal("v1.k2.P1", only.ProtectedToken);
    }

    [Fact]
    public void Oauth_grants_under_another_key_are_rewritten_too()
    {
        var grants = new[]
        {
            new AuthorizationRecord("auth_a", "v1.k1.A", ["1"], [], "active", DateTimeOffset.UnixEpoch, null, null),
            new AuthorizationRecord("auth_b", "v1.k2.B", ["2"], [], "active", DateTimeOffset.UnixEpoch, null, null),
        };

        var rotated = TokenRotation.Plan(grants, "k2", token => token.Replace("v1.k1.", "v1.k2.", StringComparison.Ordinal));

        var only = Assert.Single(rotated);
        Assert.Equal(("auth_a", "v1.k2.A"), (only.Id, only.ProtectedToken));
    }

    [Fact]
    public void Nothing_is_rewritten_when_every_token_is_under_the_active_key()
    {
        Assert.Empty(TokenRotation.Plan([Connection("P1", "1", keyId: "k2")], "k2", _ => throw new InvalidOperationException("not called")));
    }
}
