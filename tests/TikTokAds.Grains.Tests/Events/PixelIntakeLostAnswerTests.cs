using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using TikTokAds.Contracts.Events;
using TikTokAds.Grains.Events;

namespace TikTokAds.Grains.Tests.Events;

/// <summary>
/// An append that fails may have stored its events all the same (its facts failed beside them, or the answer was lost
/// after the commit). The client's retry hears them as duplicates, so only the store knows they wait.
/// </summary>
public sealed class PixelIntakeLostAnswerTests
{
    private const string Key = "org_lost/PIXEL1";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly DomainMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
    private readonly InMemoryEventStore _store = new();

    private static PixelEvent View(int i) => new(
        "ViewContent", $"view_{i}", "web", new EventPayload("ViewContent", Now.ToUnixTimeSeconds(), $"view_{i}", null, null, null, null, null), null);

    [Fact]
    public async Task Events_stored_by_an_append_whose_answer_was_lost_are_read_back_once_the_buffer_drains_though_the_retry_hears_duplicates()
    {
        var store = LostAnswers.Around(_store);
        var buffer = new PixelBuffer(store, Key, capacity: 100);
        var intake = new PixelIntake(store, buffer, TimeSpan.FromHours(48), Metrics);

        await Assert.ThrowsAsync<TimeoutException>(() => intake.AcceptAsync(Key, [View(1), View(2)], Now, default));
        var retry = await intake.AcceptAsync(Key, [View(1), View(2)], Now.AddSeconds(1), default);

        Assert.All(retry, o => Assert.Equal(EventStatuses.Duplicate, o.Status));
        Assert.Equal(0, buffer.Count);
        Assert.True(buffer.RefillDue);
        await buffer.ReloadAsync(default);
        Assert.Equal(["view_1", "view_2"], buffer.Events.Select(e => e.EventId));
    }

    /// <summary>The in-memory store, whose first append is written and then answered with an error, as a connection dropped after the commit would answer.</summary>
    public class LostAnswers : DispatchProxy
    {
        private IEventStore _inner = null!;
        private int _appends;

        public static IEventStore Around(IEventStore inner)
        {
            var proxy = Create<IEventStore, LostAnswers>();
            ((LostAnswers)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            return targetMethod.Name == nameof(IEventStore.AppendAsync) && ++_appends == 1 ? LoseAsync((Task<IReadOnlyList<long?>>)result!) : result;
        }

        private static async Task<IReadOnlyList<long?>> LoseAsync(Task<IReadOnlyList<long?>> append)
        {
            await append;
            throw new TimeoutException("The answer was lost after the write.");
        }
    }
}
