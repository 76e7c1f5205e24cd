using TikTokAds.Runtime.Reminders;

namespace TikTokAds.Runtime.Tests.Unit;

public sealed class ReminderEntryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_reminder_not_yet_due_keeps_its_due_time()
    {
        var entry = new ReminderEntry(new GrainId("pixel", "p"), "flush", Start, TimeSpan.FromMinutes(1), Start);

        Assert.Equal(Start, entry.NextDueAfter(Start.AddSeconds(-5)));
    }

    [Fact]
    public void Missed_ticks_are_skipped_to_the_first_slot_after_now()
    {
        var entry = new ReminderEntry(new GrainId("pixel", "p"), "flush", Start, TimeSpan.FromMinutes(1), Start);

        Assert.Equal(Start.AddMinutes(1), entry.NextDueAfter(Start));
        Assert.Equal(Start.AddMinutes(11), entry.NextDueAfter(Start.AddMinutes(10).AddSeconds(30)));
    }
}
