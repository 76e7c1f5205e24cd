using TikTokAds.Testing;

namespace TikTokAds.TikTok.Tests.Sandbox;

public sealed class SandboxProcessTests
{
    [Fact]
    public async Task The_sandbox_executable_started_on_a_port_answers()
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "TikTokAds.Sandbox.dll");
        await using var sandbox = NodeProcess.Start(assembly, new Dictionary<string, string>());

        string? health = null;
        for (var i = 0; i < 100 && health is null; i++)
        {
            try
            {
                health = await sandbox.Http.GetStringAsync(new Uri("/sandbox/health", UriKind.Relative));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal("Healthy", health);
    }
}
