using TikTokAds.Runtime.TestNode.Grains;

namespace TikTokAds.Runtime.Tests.InProcess;

/// <summary>The embedded default: no database, one node, in-memory providers, same guarantees within the process.</summary>
public sealed class EmbeddedModeTests : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync(postgres: null);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Runs_alone_on_in_memory_providers()
    {
        var probe = _node.Grains.GetGrain<IProbeGrain>("embedded");

        await probe.SetValueAsync(5);

        Assert.Equal("embedded", _node.Runtime.Mode);
        Assert.Equal(5, (await probe.GetStateAsync()).Value);
        Assert.Single(_node.Runtime.Membership.View.Nodes);
    }

    [Fact]
    public async Task Turns_never_interleave_in_memory_either()
    {
        var counter = _node.Grains.GetGrain<ICounterGrain>("embedded-turns");

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(counter.IncrementNonAtomicallyAsync)));

        Assert.Equal(1000, await counter.GetAsync());
    }

    [Fact]
    public async Task Timer_ticks_run_as_turns_between_calls()
    {
        var counter = _node.Grains.GetGrain<ICounterGrain>("ticking");
        await counter.StartTickingAsync(TimeSpan.FromMilliseconds(1));

        await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(counter.IncrementNonAtomicallyAsync)));
        await Task.Delay(50);
        var ticks = await counter.StopTickingAsync();

        Assert.True(ticks > 0, "the timer never ticked");
        Assert.Equal(500 + ticks, await counter.GetAsync());
    }

    [Fact]
    public async Task Grain_calls_are_published_as_metrics_instruments()
    {
        var calls = new System.Collections.Concurrent.ConcurrentBag<(string Instrument, string? Method)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Statistics.RuntimeStatistics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => calls.Add((instrument.Name, Method(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => calls.Add((instrument.Name, Method(tags))));
        listener.Start();

        await _node.Grains.GetGrain<ICounterGrain>("metered").GetAsync();

        Assert.Contains(("tiktokads.grain.calls", nameof(ICounterGrain.GetAsync)), calls);
        Assert.Contains(("tiktokads.grain.call.duration", nameof(ICounterGrain.GetAsync)), calls);
    }

    private static string? Method(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "grain.method")
            {
                return tag.Value as string;
            }
        }
        return null;
    }

    [Fact]
    public async Task Statistics_count_calls_per_grain_type_and_method()
    {
        var counter = _node.Grains.GetGrain<ICounterGrain>("stats");
        for (var i = 0; i < 10; i++)
        {
            await counter.GetAsync();
        }

        var stats = _node.Runtime.GetStatistics();

        var method = Assert.Single(stats.Methods, m => m.GrainType == "counter" && m.Method == nameof(ICounterGrain.GetAsync));
        Assert.True(method.Calls >= 10);
        Assert.Contains(stats.Activations, a => a.GrainType == "counter" && a.Count >= 1);
    }
}
