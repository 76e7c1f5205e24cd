namespace TikTokAds.Runtime.Reminders;

/// <summary>A durable schedule: first due at <see cref="StartAt"/>, then every <see cref="Period"/>.</summary>
public sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period, DateTimeOffset NextDue)
{
    /// <summary>The first slot after <paramref name="now"/>: missed ticks are skipped, not replayed.</summary>
    public DateTimeOffset NextDueAfter(DateTimeOffset now)
    {
        if (NextDue > now)
        {
            return NextDue;
        }
        var missed = (now - NextDue).Ticks / Period.Ticks + 1;
        return NextDue + TimeSpan.FromTicks(Period.Ticks * missed);
    }
}
