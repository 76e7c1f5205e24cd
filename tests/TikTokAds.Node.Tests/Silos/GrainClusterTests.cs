using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains;
using TikTokAds.Grains.Organizers;
using TikTokAds.Sandbox;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>Our grains on a two-silo Orleans cluster: placement, state through our JSON format, and the flush reminder.</summary>
public sealed class GrainClusterTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const string Organizer = "org_graincluster01";

    [Fact]
    public async Task Pixel_grains_are_placed_by_hash_over_both_silos_wherever_they_are_called_from()
    {
        var token = cluster.Sandbox.AddToken(["7000000000000000800"], [.. Enumerable.Range(0, 20).Select(i => $"PXH{i}")]);

        var hosts = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var pixel = cluster.Grains.Pixel(Organizer, $"PXH{i}");
            await pixel.ConfigureAsync(cluster.Connection(Organizer, $"PXH{i}", token));
            hosts.Add((await pixel.GetStatusAsync()).HostedOn);
        }

        Assert.Equal(2, hosts.Distinct().Count());
    }

    [Fact]
    public async Task Organizer_state_survives_deactivation_and_is_stored_as_json_without_type_names()
    {
        var organizer = cluster.Grains.Organizer("org_graincluster02");
        var created = await organizer.CreateAsync("Survives");
        await organizer.AddKeyAsync(new Contracts.Organizers.NewApiKey("key1", "hash1", "tta_key1"));

        await cluster.Cluster.DeactivateAsync(organizer);
        var again = await organizer.GetAsync();
        var keys = await organizer.ListKeysAsync();
        var stored = System.Text.Encoding.UTF8.GetString(new JsonGrainStateSerializer().Serialize(new OrganizerState { Name = "Survives" }).ToArray());

        Assert.Equal(created, again);
        Assert.Equal("key1", Assert.Single(keys).KeyId);
        Assert.StartsWith("{\"name\":\"Survives\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("TikTokAds", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pixel_holds_its_flush_reminder_while_events_wait_and_drops_it_once_they_are_delivered_and_it_has_been_quiet_a_while()
    {
        var token = cluster.Sandbox.AddToken(["7000000000000000800"], ["PXREMIND"]);
        cluster.Sandbox.AddFault(new FaultRule { Path = "event/track/", AccessToken = token, HttpStatus = 503 });
        var pixel = cluster.Grains.Pixel(Organizer, "PXREMIND");
        await pixel.ConfigureAsync(cluster.Connection(Organizer, "PXREMIND", token));

        var outcome = await pixel.AcceptAsync([Event(1)]);
        await Task.Delay(500);
        var whileWaiting = await RemindersAsync(GrainKeys.Pixel(Organizer, "PXREMIND"));
        cluster.Sandbox.State.Faults.Clear();
        var clock = Stopwatch.StartNew();
        while (cluster.Sandbox.State.Events.Stats("PXREMIND").UniqueEvents == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
        var justDelivered = await RemindersAsync(GrainKeys.Pixel(Organizer, "PXREMIND"));
        // Pixels:ForgetRecentAfter is 5 s on this cluster: the reminder outlives the delivery by that long.
        var afterDelivery = justDelivered;
        while (afterDelivery.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            await Task.Delay(100);
            afterDelivery = await RemindersAsync(GrainKeys.Pixel(Organizer, "PXREMIND"));
        }

        Assert.Equal(EventStatuses.Accepted, Assert.Single(outcome).Status);
        Assert.Equal(["flush"], whileWaiting);
        Assert.Equal(1, cluster.Sandbox.State.Events.Stats("PXREMIND").UniqueEvents);
        Assert.Equal(["flush"], justDelivered);
        Assert.Empty(afterDelivery);
    }

    [Fact]
    public async Task A_pixel_takes_new_events_while_its_flush_waits_for_TikTok()
    {
        var token = cluster.Sandbox.AddToken(["7000000000000000800"], ["PXOVERLAP"]);
        // TikTok answers this pixel after 5 s (the client waits up to 15 s), and records the events only then.
        var slow = new FaultRule { Path = "event/track/", AccessToken = token, LatencyMs = 5_000, Count = 1 };
        cluster.Sandbox.AddFault(slow);
        var pixel = cluster.Grains.Pixel(Organizer, "PXOVERLAP");
        await pixel.ConfigureAsync(cluster.Connection(Organizer, "PXOVERLAP", token));

        // A full batch flushes at once, and the flush waits for TikTok's answer.
        await pixel.AcceptAsync([.. Enumerable.Range(0, 1000).Select(Event)]);
        var clock = Stopwatch.StartNew();
        while (slow.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
        var second = await pixel.AcceptAsync([Event(1000)]);
        // Had the pixel waited for its flush to end, TikTok would have recorded the first batch by now.
        var recordedWhenAnswered = cluster.Sandbox.State.Events.Stats("PXOVERLAP").UniqueEvents;
        while (cluster.Sandbox.State.Events.Stats("PXOVERLAP").UniqueEvents < 1001 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        Assert.Equal(EventStatuses.Accepted, Assert.Single(second).Status);
        Assert.Equal(0, recordedWhenAnswered);
        Assert.Equal(1001, cluster.Sandbox.State.Events.Stats("PXOVERLAP").UniqueEvents);
    }

    private async Task<IReadOnlyList<string>> RemindersAsync(string pixelKey)
    {
        var table = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRows(GrainId.Create("pixel", pixelKey));
        return [.. rows.Reminders.Select(r => r.ReminderName)];
    }

    private static PixelEvent Event(int i) => new(
        "CompletePayment", $"completepayment_{i}", "web",
        new EventPayload("CompletePayment", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), $"completepayment_{i}", null, null, new EventPageData("https://tickets.example/", null), null, null),
        null);
}
