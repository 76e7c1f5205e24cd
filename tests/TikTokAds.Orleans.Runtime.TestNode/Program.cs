using TikTokAds.Orleans.Runtime.TestNode;

await TestNodeHost.Build(args).RunAsync();
