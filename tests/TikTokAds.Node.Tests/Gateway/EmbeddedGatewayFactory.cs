namespace TikTokAds.Node.Tests.Gateway;

/// <summary>The same node on the embedded default: no database, in-memory grain storage and event store.</summary>
public sealed class EmbeddedGatewayFactory : GatewayFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Settings.Remove("ConnectionStrings:Postgres");
    }
}
