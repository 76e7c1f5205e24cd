using TikTokAds.Runtime.TestNode.Grains;
using TikTokAds.Testing;

namespace TikTokAds.Runtime.Tests.InProcess;

/// <summary>Activation, turns, timeouts, state and write conflicts on one node over a real PostgreSQL.</summary>
public sealed class GrainRuntimeTests : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
        => _node = await InProcessNode.StartAsync(
            await TestPostgres.CreateDatabaseAsync("runtime"),
            "Grains:CallTimeout=00:00:02",
            "Grains:IdleTimeout=00:00:01",
            "Grains:CollectionInterval=00:00:00.200");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_thousand_concurrent_calls_to_one_grain_run_one_turn_at_a_time()
    {
        var counter = _node.Grains.GetGrain<ICounterGrain>("turns");

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(counter.IncrementNonAtomicallyAsync)));

        Assert.Equal(1000, await counter.GetAsync());
    }

    [Fact]
    public async Task A_call_that_cannot_complete_fails_with_a_clear_timeout()
    {
        // A grain awaiting a call to itself can never get its next turn: non-reentrant, as in Orleans.
        var counter = _node.Grains.GetGrain<ICounterGrain>("self-call");

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(counter.CallSelfAsync);

        Assert.Contains("counter/self-call", error.Message, StringComparison.Ordinal);
        Assert.Contains("Grains:CallTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_survives_deactivation_and_the_deactivate_hook_runs()
    {
        var probe = _node.Grains.GetGrain<IProbeGrain>("idle");
        var first = await probe.WhereAsync();
        await probe.SetValueAsync(42);

        await WaitUntilAsync(() => !_node.Runtime.GetLocalActivations().Contains(new GrainId("probe", "idle")));
        var second = await probe.WhereAsync();
        var state = await probe.GetStateAsync();

        Assert.NotEqual(first.ActivationId, second.ActivationId);
        Assert.Equal(42, state.Value);
        Assert.Contains($"{_node.Runtime.NodeId}:{DeactivationReason.IdleTimeout}", state.Deactivations);
    }

    [Fact]
    public async Task A_stale_etag_write_fails_the_call_and_replaces_the_activation()
    {
        var probe = _node.Grains.GetGrain<IProbeGrain>("conflict");
        await probe.SetValueAsync(7);
        var before = await probe.WhereAsync();

        await Assert.ThrowsAsync<InconsistentStateException>(probe.WriteWithStaleEtagAsync);
        var after = await probe.WhereAsync();

        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.Equal(-1, (await probe.GetStateAsync()).Value);
    }

    [Fact]
    public async Task A_reminder_shorter_than_the_minimum_period_is_refused()
    {
        var probe = _node.Grains.GetGrain<IProbeGrain>("short-reminder");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => probe.StartReminderAsync(TimeSpan.FromSeconds(1)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition(), "condition not met within 10 s");
    }
}
