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
}
