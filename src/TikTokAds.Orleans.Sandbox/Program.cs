using TikTokAds.Orleans.Sandbox;

// dotnet run --project src/TikTokAds.Orleans.Sandbox -- --urls http://127.0.0.1:5090
await SandboxApp.Build(args).RunAsync();
