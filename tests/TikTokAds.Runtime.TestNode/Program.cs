using TikTokAds.Runtime.TestNode;

await TestNodeHost.Build(args).RunAsync();
