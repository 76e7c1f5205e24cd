using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>
/// A pixel's deliveries change its state in memory, written once a change has waited Pixels:StateWriteInterval (here
/// <see cref="StateWriteCluster.Interval"/>) or when the pixel deactivates: the first delivery after a quiet spell
/// writes nothing, as when many pixels wake together at an on-sale.
/// </summary>
public sealed class PixelStateWriteTests(StateWriteCluster cluster) : IClassFixture<StateWriteCluster>
{
    private const string Organizer = "org_statewrite01";
    private const string StateName = "pixel";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_delivery_after_a_quiet_spell_is_not_written_at_once_but_once_it_has_waited_the_interval_though_the_pixel_went_quiet()
    {
        var pixel = await ConnectAsync("PXSTATEW1");
        var id = pixel.GetGrainId();
        // Quiet for longer than the interval since its last write, the connection's.
        await Task.Delay(StateWriteCluster.Interval + TimeSpan.FromSeconds(1));
        var writesBefore = cluster.Storage.Writes(StateName, id);

        await pixel.AcceptAsync([Event("statew1_1"), Event("statew1_2"), Event("statew1_3")]);
        var delivered = await Eventually.ReadAsync(() => pixel.GetStatusAsync(), s => s.Counts.GetValueOrDefault(EventStatuses.Delivered) == 3 && s.LastFlushAt is not null, Patience);
        // A write made at the delivery would be stored by now; one made after the interval is seconds away.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var (writesSoon, storedSoon) = (cluster.Storage.Writes(StateName, id), cluster.Storage.Stored<PixelState>(StateName, id)!);
        var stored = await Eventually.ReadAsync(() => Task.FromResult(cluster.Storage.Stored<PixelState>(StateName, id)!), s => s.SentToday == 3, Patience);

        Assert.Equal(writesBefore, writesSoon);
        Assert.Equal(0, storedSoon.SentToday);
        Assert.Null(storedSoon.LastFlushAt);
        Assert.Equal(3, stored.SentToday);
        Assert.Equal(delivered.LastFlushAt, stored.LastFlushAt);
        Assert.Equal(writesBefore + 1, cluster.Storage.Writes(StateName, id));
    }

    [Fact]
    public async Task A_pixel_deactivated_before_the_interval_ends_writes_the_delivery_it_kept()
    {
        var pixel = await ConnectAsync("PXSTATEW2");
        var id = pixel.GetGrainId();
        await pixel.AcceptAsync([Event("statew2_1"), Event("statew2_2")]);
        await Eventually.ReadAsync(() => pixel.GetStatusAsync(), s => s.Counts.GetValueOrDefault(EventStatuses.Delivered) == 2 && s.LastFlushAt is not null, Patience);
        var storedBefore = cluster.Storage.Stored<PixelState>(StateName, id)!;

        await cluster.Cluster.DeactivateAsync(pixel);
        var stored = cluster.Storage.Stored<PixelState>(StateName, id)!;

        Assert.Equal(0, storedBefore.SentToday);
        Assert.Equal(2, stored.SentToday);
        Assert.NotNull(stored.LastFlushAt);
    }

    private Task<IPixelGrain> ConnectAsync(string pixelId) => cluster.ConnectPixelAsync(Organizer, pixelId);

    private static PixelEvent Event(string id) => GrainCluster.ViewContent(id);
}

/// <summary>One silo of <see cref="GrainCluster"/> whose grain storage counts writes, with pixels whose delivered changes wait <see cref="Interval"/>.</summary>
public sealed class StateWriteCluster : GrainCluster
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(6);

    public StateWriteCluster()
        : this(new FlakyGrainStorage())
    {
    }

    private StateWriteCluster(FlakyGrainStorage storage)
        : base(1, null, new Dictionary<string, string?> { ["Pixels:StateWriteInterval"] = Interval.ToString() }, storage) => Storage = storage;

    public FlakyGrainStorage Storage { get; }
}
