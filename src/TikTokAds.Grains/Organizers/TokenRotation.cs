using TikTokAds.Grains.Security;

namespace TikTokAds.Grains.Organizers;

/// <summary>Which stored tokens a key rotation rewrites: those not under the active key.</summary>
public static class TokenRotation
{
    /// <summary>The connections whose token is under another key, re-encrypted by <paramref name="reprotect"/>.</summary>
    public static IReadOnlyList<ConnectionRecord> Plan(IEnumerable<ConnectionRecord> connections, string activeKeyId, Func<string, string> reprotect)
        => [.. connections
            .Where(c => TokenProtector.KeyIdOf(c.ProtectedToken) != activeKeyId)
            .Select(c => c with { ProtectedToken = reprotect(c.ProtectedToken) })];

    /// <summary>The OAuth grants whose token is under another key, re-encrypted: they must outlive the old key too.</summary>
    public static IReadOnlyList<AuthorizationRecord> Plan(IEnumerable<AuthorizationRecord> grants, string activeKeyId, Func<string, string> reprotect)
        => [.. grants
            .Where(a => TokenProtector.KeyIdOf(a.ProtectedToken) != activeKeyId)
            .Select(a => a with { ProtectedToken = reprotect(a.ProtectedToken) })];
}
