using TikTokAds.Contracts.Events;
using TikTokAds.Contracts.Organizers;
using TikTokAds.Grains.Organizers;
using static TikTokAds.Grains.Tests.Organizers.Organizers;

namespace TikTokAds.Grains.Tests.Organizers;

public sealed class ConnectionTransitionsTests
{
    private static ConnectRequest Request(string token = "v1.k1.new")
        => new("P1", "1", token, true, "TEST1", "40", new EventToggles(TrackCheckout: false), new RateLimits(5, 100));

    [Fact]
    public void A_first_connect_is_connected_now()
    {
        var record = ConnectionTransitions.Connect(null, Request(), Now);

        Assert.Equal(ConnectionStatus.Connected, record.Status);
        Assert.Equal(Now, record.ConnectedAt);
        Assert.Equal(ConnectOutcome.Connected, ConnectionTransitions.Connected(null, record).Outcome);
    }

    [Fact]
    public void An_update_keeps_when_the_pixel_was_first_connected_and_its_last_delivery_and_clears_the_error()
    {
        var existing = Connection("P1", "1", ConnectionStatus.ReauthorisationRequired) with { LastEventSent = Now.AddMinutes(5), LastError = "TikTok 40105: x" };

        var record = ConnectionTransitions.Connect(existing, Request(), Now.AddDays(1));

        Assert.Equal(Now, record.ConnectedAt);
        Assert.Equal(Now.AddDays(1), record.UpdatedAt);
        Assert.Equal(Now.AddMinutes(5), record.LastEventSent);
        Assert.Null(record.LastError);
        Assert.Equal(ConnectionStatus.Connected, record.Status);
        Assert.Equal("v1.k1.new", record.ProtectedToken);
        Assert.Equal(ConnectOutcome.Updated, ConnectionTransitions.Connected(existing, record).Outcome);
    }

    [Fact]
    public void A_rejected_token_asks_for_reauthorisation_once()
    {
        var rejected = ConnectionTransitions.Rejected(Connection("P1", "1"), 40105, "invalid", Now.AddHours(1));

        Assert.NotNull(rejected);
        Assert.Equal(ConnectionStatus.ReauthorisationRequired, rejected.Status);
        Assert.Equal("TikTok 40105: invalid", rejected.LastError);
        Assert.Null(ConnectionTransitions.Rejected(rejected, 40105, "invalid", Now.AddHours(2)));
    }

    [Fact]
    public void Only_a_broken_connection_heals()
    {
        var broken = Connection("P1", "1", ConnectionStatus.ReauthorisationRequired) with { LastError = "TikTok 40105: x" };

        var healed = ConnectionTransitions.Healed(broken, Now.AddHours(1));

        Assert.Equal(ConnectionStatus.Connected, healed?.Status);
        Assert.Null(healed?.LastError);
        Assert.Null(ConnectionTransitions.Healed(Connection("P1", "1"), Now));
    }

    [Fact]
    public void A_verify_reports_a_rejected_token_as_verified_and_an_outage_as_such()
    {
        var view = Connection("P1", "1").ToView();

        var accepted = ConnectionTransitions.Verified(null, view);
        var rejected = ConnectionTransitions.Verified(new ConnectResult(ConnectOutcome.TokenRejected, null, 40105, "rejected"), view);
        var outage = ConnectionTransitions.Verified(TokenCheck.TimedOut, view);

        Assert.Equal((ConnectOutcome.Verified, 0), (accepted.Outcome, accepted.TikTokCode));
        Assert.Equal((ConnectOutcome.Verified, 40105), (rejected.Outcome, rejected.TikTokCode));
        Assert.Equal(ConnectOutcome.TikTokUnavailable, outage.Outcome);
        Assert.Same(view, outage.Connection);
    }

    [Fact]
    public void A_described_connection_takes_the_pixels_last_delivery_but_keeps_its_own_error_first()
    {
        var connection = Connection("P1", "1") with { LastEventSent = Now, LastError = "TikTok 40105: x" };
        var pixel = new PixelStatusView("P1", true, 0, 100, 100, 10, null, "pixel error", Now.AddHours(1), null, new Dictionary<string, long>(), "silo");

        var described = ConnectionTransitions.Described(connection, pixel);

        Assert.Equal(Now.AddHours(1), described.LastEventSent);
        Assert.Equal("TikTok 40105: x", described.LastError);
    }
}
