using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TikTokAds.Grains.Events;
using TikTokAds.Node.Tests.Stores;

namespace TikTokAds.Node.Tests.Gateway;

/// <summary>A batch that spans several pixels calls them at once, so their appends can share a write.</summary>
public sealed class BatchFanOutTests(BatchFanOutTests.Factory factory) : IClassFixture<BatchFanOutTests.Factory>
{
    [Fact]
    public async Task A_batch_for_two_pixels_has_both_appends_under_way_at_once_and_each_event_is_accepted()
    {
        var (_, key) = await factory.CreateOrganizerAsync("Fan-out");
        var (first, _, _) = await factory.ConnectAsync(key, "PXFANOUTA1");
        var (second, _, _) = await factory.ConnectAsync(key, "PXFANOUTB2");
        var events = new[] { (first, "meet_a"), (second, "meet_b") }.Select(p =>
        {
            var e = GatewayFactory.Event(1);
            e["event_id"] = p.Item2;
            e["pixel_id"] = p.Item1;
            return e;
        });

        using var client = factory.As(key);
        using var response = await GatewayFactory.PostBatchAsync(client, events);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        // One pixel after the other, the first append would wait for the second, which could not start: no 202.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (int)body["accepted"]!);
        Assert.Equal(2, factory.Met.Count);
    }

    /// <summary>
    /// The gateway over PostgreSQL, with a store whose appends of events named meet_* each wait until such appends of
    /// two pixels are under way (or fail after 10 s).
    /// </summary>
    public sealed class Factory : GatewayFactory
    {
        private readonly TaskCompletionSource _bothUnderWay = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The pixels whose meet_* appends were under way.</summary>
        public HashSet<string> Met { get; } = [];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(sp => AroundAppends.Wrap(new PostgresEventStore(sp.GetRequiredService<NpgsqlDataSource>()),
                (pixelKey, events, append) => events.Any(e => e.EventId.StartsWith("meet_", StringComparison.Ordinal)) ? MeetAsync(pixelKey, append) : append)));
        }

        private async Task<IReadOnlyList<long?>> MeetAsync(string pixelKey, Task<IReadOnlyList<long?>> append)
        {
            lock (Met)
            {
                if (Met.Add(pixelKey) && Met.Count == 2)
                {
                    _bothUnderWay.TrySetResult();
                }
            }
            await _bothUnderWay.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return await append;
        }
    }
}
