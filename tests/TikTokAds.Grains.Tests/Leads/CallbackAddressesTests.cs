using System.Net;
using TikTokAds.Grains.Leads;

namespace TikTokAds.Grains.Tests.Leads;

public sealed class CallbackAddressesTests
{
    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2002:808:808::1")]
    public void Public_unicast_addresses_may_be_called_back(string address) => Assert.Null(CallbackAddresses.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("0.0.0.0", "this network")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.10", "private")]
    [InlineData("100.64.0.1", "shared address space")]
    [InlineData("100.127.255.254", "shared address space")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("192.0.0.170", "IETF protocol assignments")]
    [InlineData("192.0.2.1", "documentation")]
    [InlineData("198.51.100.1", "documentation")]
    [InlineData("203.0.113.7", "documentation")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("240.0.0.1", "reserved or broadcast")]
    [InlineData("255.255.255.255", "reserved or broadcast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("::127.0.0.1", "IPv4-compatible")]
    [InlineData("::ffff:127.0.0.1", "loopback (IPv4-mapped)")]
    [InlineData("::ffff:10.0.0.1", "private (IPv4-mapped)")]
    [InlineData("64:ff9b::7f00:1", "loopback (NAT64)")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local (NAT64)")]
    [InlineData("64:ff9b::c0a8:101", "private (NAT64)")]
    [InlineData("64:ff9b:1::808:808", "local-use NAT64")]
    [InlineData("2002:7f00:1::1", "loopback (6to4)")]
    [InlineData("2002:c0a8:101::1", "private (6to4)")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("100::1", "discard-only")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    public void Every_non_public_form_is_refused_and_named(string address, string kind)
    {
        var refusal = CallbackAddresses.Refusal(IPAddress.Parse(address));

        Assert.NotNull(refusal);
        Assert.Contains(kind, refusal, StringComparison.Ordinal);
    }
}
