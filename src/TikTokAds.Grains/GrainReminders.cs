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

    /// <summary>An <see cref="ActivationReminder"/> over this grain's reminder <paramref name="name"/>, first due after <paramref name="due"/>.</summary>
    public static ActivationReminder ActivationReminder(this Grain grain, string name, Func<TimeSpan> due, TimeSpan period)
        => new(on => grain.SetReminderAsync(name, on, due, period));

    /// <summary>A <see cref="ReminderSwitch"/> over this grain's reminder <paramref name="name"/>, first due after <paramref name="due"/>.</summary>
    public static ReminderSwitch ReminderSwitch(this Grain grain, string name, Func<TimeSpan> due, TimeSpan period, Func<bool> recorded, Func<bool, Task> record)
        => new(recorded, on => grain.SetReminderAsync(name, on, due, period), record);

    private static async Task SetReminderAsync(this Grain grain, string name, bool on, Func<TimeSpan> due, TimeSpan period)
    {
        if (on)
        {
            await grain.RegisterOrUpdateReminder(name, due(), period);
        }
        else
        {
            await grain.UnregisterReminderAsync(name);
        }
    }
}
