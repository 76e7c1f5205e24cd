using System.Net;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Leads;
using TikTokAds.Testing;
using static TikTokAds.Grains.Tests.Leads.LeadFixtures;

namespace TikTokAds.Grains.Tests.Leads;

/// <summary>Call-backs through the real handler: the host is resolved when the lead is sent, and only public addresses are dialled.</summary>
public sealed class CallbackConnectionsTests
{
    private readonly InMemoryLeadStore _store = new();
    private readonly List<string> _lookups = [];

    /// <summary>A DNS that answers every name with <paramref name="addresses"/> and notes each question.</summary>
    private CallbackHosts Dns(params string[] addresses) => new((host, _) =>
    {
        _lookups.Add(host);
        return Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());
    });

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.7", "private")]
    [InlineData("172.16.0.7", "private")]
    [InlineData("192.168.1.7", "private")]
    [InlineData("fd00::7", "unique local (private)")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::7", "link-local")]
    [InlineData("0.0.0.0", "this network (0.0.0.0/8)")]
    [InlineData("::", "unspecified or IPv4-compatible")]
    [InlineData("100.64.0.7", "shared address space (100.64.0.0/10)")]
    [InlineData("224.0.0.7", "multicast")]
    [InlineData("ff02::7", "multicast")]
    [InlineData("::ffff:127.0.0.1", "loopback (IPv4-mapped)")]
    [InlineData("::ffff:10.0.0.7", "private (IPv4-mapped)")]
    [InlineData("64:ff9b::7f00:1", "loopback (NAT64)")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local (NAT64)")]
    public async Task A_host_that_resolves_at_send_time_to_a_refused_address_gets_no_connection_and_the_lead_fails_saying_why(string address, string kind)
    {
        using var handler = CallbackConnections.Handler(allowPrivateAddresses: false, Dns(address));

        var (lead, delivery) = await Forwarder(_store, new HandlerFactory(handler)).ForwardAsync(Organizer, Inbox(callbackUrl: "https://crm.example.com/leads"), Lead(), CancellationToken.None);

        Assert.Equal(["crm.example.com"], _lookups);
        Assert.Equal((LeadStatuses.Failed, LeadReasons.CallbackAddressRefused, 1, null), (lead.Status, lead.Reason, lead.Attempts, lead.NextAttemptAt));
        Assert.Equal($"The call-back host crm.example.com resolves to addresses call-backs may not reach: {IPAddress.Parse(address)} ({kind}).", lead.LastError);
        Assert.Equal(lead.LastError, delivery!.Error);
        Assert.Null(delivery.HttpStatus);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_at_connect_and_the_receiver_gets_nothing()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        using var handler = CallbackConnections.Handler(allowPrivateAddresses: false, CallbackHosts.System);

        var (lead, _) = await Forwarder(_store, new HandlerFactory(handler)).ForwardAsync(Organizer, Inbox(callbackUrl: receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), Lead(), CancellationToken.None);

        Assert.Empty(receiver.Calls);
        Assert.Equal(LeadReasons.CallbackAddressRefused, lead.Reason);
        Assert.StartsWith("The call-back host localhost resolves to addresses call-backs may not reach: ", lead.LastError, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 (loopback)", lead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trailing_dot_name_is_refused_at_connect_whatever_it_resolves_to()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        using var handler = CallbackConnections.Handler(allowPrivateAddresses: false, Dns("93.184.215.14"));

        var (lead, _) = await Forwarder(_store, new HandlerFactory(handler)).ForwardAsync(Organizer, Inbox(callbackUrl: receiver.Url.Replace("127.0.0.1", "localhost.", StringComparison.Ordinal)), Lead(), CancellationToken.None);

        Assert.Empty(receiver.Calls);
        Assert.Empty(_lookups);
        Assert.Equal("The call-back host localhost. ends with a dot.", lead.LastError);
    }

    [Fact]
    public async Task A_name_re_pointed_at_a_private_address_after_it_was_saved_gets_no_connection()
    {
        // DNS rebinding: the name looked public when the URL was saved; now it answers with the metadata service.
        using var handler = CallbackConnections.Handler(allowPrivateAddresses: false, Dns("169.254.169.254", "64:ff9b::a00:1"));

        var (lead, _) = await Forwarder(_store, new HandlerFactory(handler)).ForwardAsync(Organizer, Inbox(callbackUrl: "https://crm.example.com/leads"), Lead(), CancellationToken.None);

        Assert.Equal("The call-back host crm.example.com resolves to addresses call-backs may not reach: 169.254.169.254 (link-local), 64:ff9b::a00:1 (private (NAT64)).", lead.LastError);
    }

    [Fact]
    public async Task One_private_address_among_public_ones_refuses_the_host()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        using var handler = CallbackConnections.Handler(allowPrivateAddresses: false, Dns("93.184.215.14", "127.0.0.1"));

        var (lead, _) = await Forwarder(_store, new HandlerFactory(handler)).ForwardAsync(Organizer, Inbox(callbackUrl: receiver.Url.Replace("127.0.0.1", "crm.example.com", StringComparison.Ordinal)), Lead(), CancellationToken.None);

        Assert.Empty(receiver.Calls);
        Assert.Equal("The call-back host crm.example.com resolves to addresses call-backs may not reach: 127.0.0.1 (loopback).", lead.LastError);
    }

    [Fact]
    public async Task An_address_literal_saved_before_the_check_is_refused_at_connect()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        using var handler = CallbackConnections.Handler(allowPrivateAddresses: false, Dns());

        var (lead, _) = await Forwarder(_store, new HandlerFactory(handler)).ForwardAsync(Organizer, Inbox(callbackUrl: receiver.Url), Lead(), CancellationToken.None);

        Assert.Empty(receiver.Calls);
        Assert.Contains("127.0.0.1 (loopback)", lead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_private_addresses_allowed_a_local_receiver_gets_the_lead()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        using var handler = CallbackConnections.Handler(allowPrivateAddresses: true, CallbackHosts.System);

        var (lead, _) = await Forwarder(_store, new HandlerFactory(handler)).ForwardAsync(Organizer, Inbox(callbackUrl: receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), Lead(), CancellationToken.None);

        Assert.Equal(LeadStatuses.Forwarded, lead.Status);
        Assert.Single(receiver.Calls);
    }

    private sealed class HandlerFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
