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
    public async Task A_reservation_waits_while_another_holder_has_the_directory_locked_and_one_that_would_wait_too_long_is_refused()
    {
        Directory.CreateDirectory(_directory);
        var patient = new PortReservations(_directory);
        var impatient = new PortReservations(_directory, TimeSpan.FromMilliseconds(200));
        Task<bool> reserving;
        // The lock as another process would hold it: between its check of a port and its write of the reservation.
        using (new FileStream(Path.Combine(_directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            reserving = Task.Run(() => patient.TryReserve(20_006));
            Assert.Throws<TimeoutException>(() => impatient.TryReserve(20_007));
            Assert.False(reserving.IsCompleted, "the reservation waits for the directory's lock");
            Assert.Empty(Reservations());
        }
        Assert.True(await reserving);
        Assert.True(impatient.TryReserve(20_007));
        Assert.Equal(["20006", "20007"], Reservations());
    }

    private string[] Reservations() => [.. Directory.EnumerateFiles(_directory).Select(f => Path.GetFileName(f)).Where(f => f != ".lock").Order()];

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
