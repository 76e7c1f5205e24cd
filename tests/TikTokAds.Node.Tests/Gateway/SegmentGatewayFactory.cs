namespace TikTokAds.Node.Tests.Gateway;

/// <summary>The gateway over PostgreSQL and the sandbox, with segment runs that look at their audience often.</summary>
public sealed class SegmentGatewayFactory : GatewayFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Settings["Segments:PollInterval"] = "00:00:00.100";
    }
}
