using TikTokAds.Testing;

namespace TikTokAds.TikTok.Tests.Testing;

/// <summary>The tests' port reservations, which keep test processes running side by side from handing out one port twice.</summary>
public sealed class PortReservationsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"port-reservations-{Guid.NewGuid():N}");

    [Fact]
    public void A_port_is_reserved_once_until_its_holder_releases_it()
    {
        var first = new PortReservations(_directory, TimeSpan.FromMinutes(30));
        var second = new PortReservations(_directory, TimeSpan.FromMinutes(30));

        Assert.True(first.TryReserve(20_001));
        Assert.False(second.TryReserve(20_001));
        Assert.False(first.TryReserve(20_001));
        Assert.True(second.TryReserve(20_002));

        first.ReleaseAll();
        Assert.Equal(["20002"], Directory.EnumerateFiles(_directory).Select(Path.GetFileName));
        Assert.True(second.TryReserve(20_001));
    }

    [Fact]
    public void An_earlier_runs_reservation_is_taken_over_by_one_holder_only_and_a_fresh_one_is_not()
    {
        Directory.CreateDirectory(_directory);
        var stale = Path.Combine(_directory, "20003");
        File.WriteAllBytes(stale, []);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(1));
        File.WriteAllBytes(Path.Combine(_directory, "20004"), []);
        var first = new PortReservations(_directory, TimeSpan.FromMinutes(30));
        var second = new PortReservations(_directory, TimeSpan.FromMinutes(30));

        Assert.True(first.TryReserve(20_003));
        Assert.False(second.TryReserve(20_003));
        Assert.False(first.TryReserve(20_004));
        Assert.Equal(["20003", "20004"], Directory.EnumerateFiles(_directory).Select(Path.GetFileName).Order());
        Assert.True(DateTime.UtcNow - File.GetLastWriteTimeUtc(stale) < TimeSpan.FromMinutes(1));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
