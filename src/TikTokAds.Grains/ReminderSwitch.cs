namespace TikTokAds.Grains;

/// <summary>
/// A durable reminder that exists exactly while a grain has work waiting, with the fact recorded in the
/// grain's state (so an idle grain never asks the reminder table). The order is the point: switching on
/// registers before recording, and switching off records before unregistering, so a failure in between
/// leaves at worst a reminder too many (its tick finds nothing and switches off), never work without one.
/// </summary>
public sealed class ReminderSwitch(Func<bool> recorded, Func<bool, Task> setReminder, Func<bool, Task> record)
{
    /// <summary>Turns the reminder on or off; does nothing when the state already says so.</summary>
    public async Task SetAsync(bool on)
    {
        if (recorded() == on)
        {
            return;
        }
        if (on)
        {
            await setReminder(true);
            await record(true);
        }
        else
        {
            await record(false);
            await setReminder(false);
        }
    }
}
