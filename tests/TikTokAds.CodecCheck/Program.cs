using TikTokAds.Node.Extensions;

// A real node whose application holds one more grain, with a message that has no codec (Orleans finds
// the grain by itself, as it would a forgotten [GenerateSerializer] in the contracts). Exit 0: it
// started; exit 3: it refused to start, with the reason on the console.
var builder = WebApplication.CreateBuilder([.. args, "--urls", "http://127.0.0.1:0"]);
builder.AddTikTokAdsNode();
await using var app = builder.Build();
app.MapTikTokAdsNode();
try
{
    await app.StartAsync();
}
#pragma warning disable CA1031 // Whatever stops the start is the answer this program exists to print.
catch (Exception ex)
#pragma warning restore CA1031
{
    Console.WriteLine($"refused to start: {ex}");
    return 3;
}
await app.StopAsync();
Console.WriteLine("started");
return 0;
