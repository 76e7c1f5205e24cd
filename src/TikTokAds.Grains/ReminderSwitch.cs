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

/// <summary>
/// A durable reminder that exists while a grain has work waiting, known to the activation alone: switching it costs
/// no state write. On registers (an upsert: a reminder an earlier activation left is renewed) before the caller goes
/// on, so work is never left without one. Off unregisters only a reminder this activation registered or heard tick.
/// A reminder an earlier activation left and this one never touched brings the grain back on its next tick, which
/// finds nothing to do and switches it off; <see cref="ForceOffAsync"/> removes it at once.
/// </summary>
public sealed class ActivationReminder(Func<bool, Task> setReminder)
{
    /// <summary>Whether the reminder exists, as far as this activation knows; null before it has touched or heard it.</summary>
    private bool? _registered;

    /// <summary>The reminder ticked: it exists.</summary>
    public void Ticked() => _registered = true;

    /// <summary>Turns the reminder on or off; does nothing when this activation knows it already is, or knows nothing and is asked for off.</summary>
    public Task SetAsync(bool on) => _registered != on && (on || _registered is not null) ? SwitchAsync(on) : Task.CompletedTask;

    /// <summary>Off whatever this activation knows: a disconnected grain must not be woken again.</summary>
    public Task ForceOffAsync() => SwitchAsync(false);

    /// <summary>Unknown while the reminder table is being changed: a failed change leaves the next call to try again.</summary>
    private async Task SwitchAsync(bool on)
    {
        _registered = null;
        await setReminder(on);
        _registered = on;
    }
}
