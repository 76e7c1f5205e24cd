using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

public sealed class TokenRotationTests
{
    private const string Api = "/api/integrations/tiktok-ads";

    [Fact]
    public async Task Rotating_the_token_key_re_encrypts_every_stored_token_under_the_new_key()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var token = sandbox.AddToken(["7000000000000000444"], ["PIXELROTATE"]);
        var settings = await ClusterSettings.CreateAsync("rotate", new()
        {
            ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl,
        });
        var database = settings["ConnectionStrings:Postgres"];
        string apiKey;
        await using (var first = NodeProcess.Start(NodeCli.NodeAssembly, settings))
        {
            await first.WaitReadyAsync();
            var (_, created) = await NodeCli.RunAsync(settings, "organizers", "create", "--name", "Rotating");
            apiKey = AdministrationCommandTests.KeyLine().Match(created).Groups[1].Value;
            using var client = Organizer(first, apiKey);
            using var connect = await client.PostAsync(new Uri($"{Api}/connect", UriKind.Relative),
                new StringContent($$"""{"pixel_id":"PIXELROTATE","access_token":"{{token}}","advertiser_id":"7000000000000000444"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, connect.StatusCode);
            await first.TerminateAsync();
        }
        var underK1 = await Storage.ContainsAsync(database, "\"v1.k1.");

        settings["Security:TokenKeys:k2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["Security:ActiveTokenKeyId"] = "k2";
        await using var second = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await second.WaitReadyAsync();
        var (exit, output) = await NodeCli.RunAsync(settings, "tokens", "rotate");
        using var organizer = Organizer(second, apiKey);
        using var verify = await organizer.PostAsync(new Uri($"{Api}/connection/PIXELROTATE/verify", UriKind.Relative), null);

        Assert.True(underK1);
        Assert.True(exit == 0, output);
        Assert.Contains("re-encrypted 1 token(s)", output, StringComparison.Ordinal);
        Assert.False(await Storage.ContainsAsync(database, "\"v1.k1."));
        Assert.True(await Storage.ContainsAsync(database, "\"v1.k2."));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Contains("\"status\":\"connected\"", await verify.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpClient Organizer(NodeProcess node, string apiKey)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
