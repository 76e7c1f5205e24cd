namespace TikTokAds.Testing;

public static class SandboxAudienceMembers
{
    /// <summary>A copy of what the sandbox's TikTok audience holds, as "SCHEMA:hash".</summary>
    public static HashSet<string> AudienceMembers(this SandboxHost sandbox, string tiktokAudienceId)
    {
        lock (sandbox.State.Audiences.Sync)
        {
            return [.. sandbox.State.Audiences.Find(tiktokAudienceId)!.Members];
        }
    }
}
