using TikTokAds.Grains;

namespace TikTokAds.Grains.Tests.Grains;

public sealed class ReminderSwitchTests
{
    private readonly List<string> _steps = [];
    private bool _recorded;

    private ReminderSwitch Switch(bool failRecord = false) => new(
        () => _recorded,
        on => { _steps.Add(on ? "register" : "unregister"); return Task.CompletedTask; },
        on =>
        {
            if (failRecord)
            {
                throw new InvalidOperationException("state write failed");
            }
            _steps.Add(on ? "record on" : "record off");
            _recorded = on;
            return Task.CompletedTask;
        });

    [Fact]
    public async Task Switching_on_registers_the_reminder_before_the_state_says_so()
    {
        await Switch().SetAsync(true);

        Assert.Equal(["register", "record on"], _steps);
    }

    [Fact]
    public async Task Switching_off_records_before_unregistering_so_work_is_never_left_without_a_reminder()
    {
        _recorded = true;

        await Switch().SetAsync(false);

        Assert.Equal(["record off", "unregister"], _steps);
    }

    [Fact]
    public async Task A_failed_state_write_while_switching_off_leaves_the_reminder_in_place()
    {
        _recorded = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Switch(failRecord: true).SetAsync(false));

        Assert.Empty(_steps);
        Assert.True(_recorded);
    }

    [Fact]
    public async Task Asking_for_what_the_state_already_says_touches_nothing()
    {
        await Switch().SetAsync(false);
        _recorded = true;
        await Switch().SetAsync(true);

        Assert.Empty(_steps);
    }
}

/// <summary>The flush reminder a pixel keeps without recording it: known to the activation only.</summary>
public sealed class ActivationReminderTests
{
    private readonly List<string> _steps = [];

    private ActivationReminder Reminder(Func<bool, bool>? fails = null) => new(on =>
    {
        if (fails?.Invoke(on) == true)
        {
            throw new InvalidOperationException("reminder table down");
        }
        _steps.Add(on ? "register" : "unregister");
        return Task.CompletedTask;
    });

    [Fact]
    public async Task On_registers_once_and_off_unregisters_what_this_activation_registered()
    {
        var reminder = Reminder();

        await reminder.SetAsync(true);
        await reminder.SetAsync(true);
        await reminder.SetAsync(false);
        await reminder.SetAsync(false);

        Assert.Equal(["register", "unregister"], _steps);
    }

    [Fact]
    public async Task A_fresh_activation_has_nothing_recorded_to_skip_by_so_its_first_on_registers()
    {
        await Reminder().SetAsync(true);

        Assert.Equal(["register"], _steps);
    }

    [Fact]
    public async Task Off_touches_nothing_until_the_activation_has_registered_or_heard_a_tick()
    {
        var reminder = Reminder();

        await reminder.SetAsync(false);
        Assert.Empty(_steps);

        reminder.Ticked();
        await reminder.SetAsync(false);
        Assert.Equal(["unregister"], _steps);
    }

    [Fact]
    public async Task A_failed_registration_is_tried_again_on_the_next_on()
    {
        var fail = true;
        var reminder = Reminder(_ => fail);

        await Assert.ThrowsAsync<InvalidOperationException>(() => reminder.SetAsync(true));
        fail = false;
        await reminder.SetAsync(true);

        Assert.Equal(["register"], _steps);
    }

    [Fact]
    public async Task Forcing_off_unregisters_whatever_the_activation_knows()
    {
        var reminder = Reminder();

        await reminder.ForceOffAsync();

        Assert.Equal(["unregister"], _steps);
    }
}
