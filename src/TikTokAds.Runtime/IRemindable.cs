namespace TikTokAds.Runtime;

/// <summary>Implemented by grains that register durable reminders.</summary>
public interface IRemindable : IGrainWithStringKey
{
    /// <summary>A reminder tick. Ticks may be late or, while ownership moves, doubled; handle them idempotently.</summary>
    Task ReceiveReminderAsync(string reminderName, TickStatus status);
}

/// <summary>When the tick was due and when it was delivered.</summary>
public sealed record TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);
