using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>A pixel that has gone idle forgets the event ids it remembered; the store still answers retries.</summary>
public sealed class IdlePixelTests : IAsyncLifetime
{
    private const string Api = "/api/integrations/tiktok-ads";

    private readonly GatewayFactory _factory = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _factory.Settings["Pixels:ForgetRecentAfter"] = "00:00:01";
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task A_retry_after_the_pixel_forgot_its_recent_ids_is_still_a_duplicate_and_every_duplicate_is_counted()
    {
        var (key, pixel, _) = await _factory.PixelAsync("Idle pixel");
        using var client = _factory.As(key);

        using var first = await client.PostAsJsonAsync($"{Api}/events", GatewayFactory.Event(31));
        using var quickRetry = await client.PostAsJsonAsync($"{Api}/events", GatewayFactory.Event(31));
        await _factory.WaitForSandboxAsync(pixel, 1);
        // Delivered, then a second of quiet: the pixel drops what it remembered (and records the duplicate it counted).
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var lateRetry = await client.PostAsJsonAsync($"{Api}/events", GatewayFactory.Event(31));
        var late = (await lateRetry.Content.ReadFromJsonAsync<JsonObject>())!;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var status = await client.GetFromJsonAsync<JsonObject>($"{Api}/pixels/{pixel}/status");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, quickRetry.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lateRetry.StatusCode);
        Assert.Equal("duplicate", (string?)late["status"]);
        Assert.Equal(1, _factory.Sandbox.State.Events.Stats(pixel).Events);
        Assert.Equal(2, (long)status!["counts"]!["duplicate"]!);
    }
}
