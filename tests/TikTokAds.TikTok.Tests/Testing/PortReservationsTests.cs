using TikTokAds.Testing;

namespace TikTokAds.TikTok.Tests.Testing;

/// <summary>The tests' port reservations, which keep test processes running side by side from handing out one port twice.</summary>
public sealed class PortReservationsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"port-reservations-{Guid.NewGuid():N}");

    [Fact]
    public void A_port_is_reserved_once_until_its_holder_releases_it()
    {
        var first = new PortReservations(_directory);
        var second = new PortReservations(_directory);

        Assert.True(first.TryReserve(20_001));
        Assert.False(second.TryReserve(20_001));
        Assert.False(first.TryReserve(20_001));
        Assert.True(second.TryReserve(20_002));

        first.ReleaseAll();
        Assert.Equal(["20002"], Reservations());
        Assert.True(second.TryReserve(20_001));
    }

    [Fact]
    public void A_reservation_whose_process_has_gone_is_taken_and_one_whose_process_runs_is_not()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "20003"), "99999999");
        File.WriteAllText(Path.Combine(_directory, "20004"), "");
        File.WriteAllText(Path.Combine(_directory, "20005"), "1");
        var reservations = new PortReservations(_directory);

        Assert.True(reservations.TryReserve(20_003));
        Assert.True(reservations.TryReserve(20_004));
        Assert.False(reservations.TryReserve(20_005));
        Assert.Equal($"{Environment.ProcessId}", File.ReadAllText(Path.Combine(_directory, "20003")));
    }

    [Fact]
    public async Task A_reservation_waits_while_another_holder_has_the_directory_locked()
    {
        Directory.CreateDirectory(_directory);
        var reservations = new PortReservations(_directory);
        Task<bool> reserving;
        // The lock as another process would hold it: between its check of a port and its write of the reservation.
        using (new FileStream(Path.Combine(_directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            reserving = Task.Run(() => reservations.TryReserve(20_006));
            await Task.WhenAny(reserving, Task.Delay(TimeSpan.FromMilliseconds(300)));
            Assert.False(reserving.IsCompleted, "the reservation waits for the directory's lock");
            Assert.Empty(Reservations());
        }
        Assert.True(await reserving);
        Assert.Equal(["20006"], Reservations());
    }

    [Fact]
    public void A_directory_locked_too_long_is_reported_not_waited_on_for_ever()
    {
        Directory.CreateDirectory(_directory);
        var reservations = new PortReservations(_directory, TimeSpan.FromMilliseconds(200));
        using (new FileStream(Path.Combine(_directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Throws<TimeoutException>(() => reservations.TryReserve(20_007));
        }
        Assert.True(reservations.TryReserve(20_007));
    }

    private string[] Reservations() => [.. Directory.EnumerateFiles(_directory).Select(f => Path.GetFileName(f)).Where(f => f != ".lock").Order()];

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
