using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;
using TikTokAds.Grains.Segments;
using TikTokAds.Node.Tests.Stores;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Silos;

/// <summary>
/// A pixel's accepts interleave on a real Orleans silo: a request is written while another's write is still under
/// way, and the calls that must not overlap an accept (here a disconnect) wait for it, and hold back the accepts that
/// come after them. The silo's store holds an append of "held_" events once it is stored, until the test lets it
/// answer: its seqs are then drawn before a later append's, which commits first.
/// </summary>
public sealed class PixelInterleaveTests(HeldAppendCluster cluster) : IClassFixture<HeldAppendCluster>
{
    private const string Organizer = "org_interleave01";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_second_request_is_written_and_answered_while_the_first_is_still_being_written_and_both_are_delivered()
    {
        var pixel = await ConnectAsync("PXINTER1");
        var release = cluster.Appends.HoldNext();

        var first = pixel.AcceptAsync([Event("held_1"), Event("held_2"), Event("held_3")]);
        await cluster.Appends.Stored.WaitAsync(Patience);
        var second = await pixel.AcceptAsync([Event("later_1"), Event("later_2")]).WaitAsync(Patience);
        var firstAnsweredBefore = first.IsCompleted;
        release.SetResult();
        var firstOutcomes = await first.WaitAsync(Patience);
        var status = await Eventually.ReadAsync(() => pixel.GetStatusAsync(), s => s.Counts.GetValueOrDefault(EventStatuses.Delivered) == 5 && s.BufferDepth == 0, Patience);

        Assert.All(second, o => Assert.Equal(EventStatuses.Accepted, o.Status));
        Assert.False(firstAnsweredBefore);
        Assert.All(firstOutcomes, o => Assert.Equal(EventStatuses.Accepted, o.Status));
        Assert.Equal(5, status.Counts.GetValueOrDefault(EventStatuses.Delivered));
        Assert.Equal(0, status.BufferDepth);
        Assert.Equal(5, cluster.Sandbox.State.Events.Stats("PXINTER1").UniqueEvents);
    }

    [Fact]
    public async Task A_disconnect_waits_for_the_accept_under_way_and_the_accept_after_it_hears_the_pixel_is_not_connected()
    {
        var pixel = await ConnectAsync("PXINTER2");
        var release = cluster.Appends.HoldNext();

        var accept = pixel.AcceptAsync([Event("held_1"), Event("held_2")]);
        await cluster.Appends.Stored.WaitAsync(Patience);
        var disconnect = pixel.DisconnectAsync();
        // Had the disconnect not waited, it would be done long before this.
        await Task.WhenAny(disconnect, Task.Delay(TimeSpan.FromMilliseconds(500)));
        var disconnectedBefore = disconnect.IsCompleted;
        var after = pixel.AcceptAsync([Event("after_1")]);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var afterAnsweredBefore = after.IsCompleted;
        release.SetResult();
        var accepted = await accept.WaitAsync(Patience);
        var result = await disconnect.WaitAsync(Patience);
        var refused = await after.WaitAsync(Patience);

        Assert.False(disconnectedBefore);
        Assert.False(afterAnsweredBefore);
        Assert.All(accepted, o => Assert.Equal(EventStatuses.Accepted, o.Status));
        // The accepted events were in the buffer when the disconnect flushed it.
        Assert.Equal(2, result.FlushedEvents + result.UndeliveredEvents);
        Assert.Equal(EventStatuses.Rejected, Assert.Single(refused).Status);
    }

    private Task<IPixelGrain> ConnectAsync(string pixelId) => cluster.ConnectPixelAsync(Organizer, pixelId);

    private static PixelEvent Event(string id) => GrainCluster.ViewContent(id);
}

/// <summary>One silo of <see cref="GrainCluster"/>, whose event store can hold an append (<see cref="HeldAppends"/>).</summary>
public sealed class HeldAppendCluster : GrainCluster
{
    public HeldAppendCluster()
        : this(new HeldAppends())
    {
    }

    private HeldAppendCluster(HeldAppends appends)
        : base(1, services => services.AddSingleton<IEventStore>(sp => appends.Around(new InMemoryEventStore(sp.GetRequiredService<IBuyerFactStore>())))) => Appends = appends;

    public HeldAppends Appends { get; }
}

/// <summary>
/// Around a store: an append of events whose ids start with "held_" is stored at once and answered only when the test
/// releases it (<see cref="HoldNext"/>); <see cref="Stored"/> completes once it is stored.
/// </summary>
public sealed class HeldAppends
{
    private TaskCompletionSource _release = new();
    private TaskCompletionSource _stored = new();

    public Task Stored => _stored.Task;

    public TaskCompletionSource HoldNext()
    {
        (_release, _stored) = (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously));
        return _release;
    }

    public IEventStore Around(IEventStore inner) => AroundAppends.Wrap(inner, (_, events, append)
        => events.Any(e => e.EventId.StartsWith("held_", StringComparison.Ordinal)) ? AnswerWhenReleasedAsync(append) : append);

    private async Task<IReadOnlyList<long?>> AnswerWhenReleasedAsync(Task<IReadOnlyList<long?>> append)
    {
        var seqs = await append;
        var (stored, release) = (_stored, _release);
        stored.TrySetResult();
        await release.Task;
        return seqs;
    }
}
