using TikTokAds.Node.Cli;
using TikTokAds.Node.Extensions;

if (NodeCommands.IsCommand(args))
{
    return await NodeCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(InProcessSandboxExtensions.ExpandSandboxSwitch(args));
builder.AddTikTokAdsNode();

var app = builder.Build();
app.MapTikTokAdsNode();
await app.RunAsync();
return 0;

public partial class Program;
