namespace TikTokAds.Grains;

internal static class GrainReminders
{
    /// <summary>Removes the grain's reminder of that name, if it has one.</summary>
    public static async Task UnregisterReminderAsync(this Grain grain, string reminderName)
    {
        if (await grain.GetReminder(reminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    /// <summary>A <see cref="ReminderSwitch"/> over this grain's reminder <paramref name="name"/>, first due after <paramref name="due"/>.</summary>
    public static ReminderSwitch ReminderSwitch(this Grain grain, string name, Func<TimeSpan> due, TimeSpan period, Func<bool> recorded, Func<bool, Task> record)
        => new(recorded, async on =>
        {
            if (on)
            {
                await grain.RegisterOrUpdateReminder(name, due(), period);
            }
            else
            {
                await grain.UnregisterReminderAsync(name);
            }
        }, record);
}
