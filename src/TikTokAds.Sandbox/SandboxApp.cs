namespace TikTokAds.Sandbox;

/// <summary>The sandbox as its own web application: from the command line or in a test process.</summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddTikTokSandbox();
        var app = builder.Build();
        app.MapTikTokSandbox();
        return app;
    }
}
