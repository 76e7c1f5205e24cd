namespace TikTokAds.Sandbox;

/// <summary>dotnet run --project src/TikTokAds.Sandbox -- --urls http://127.0.0.1:5090</summary>
internal static class SandboxProgram
{
    public static async Task Main(string[] args) => await SandboxApp.Build(args).RunAsync();
}
