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
