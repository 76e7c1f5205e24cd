using TikTokAds.Node.Apis.Leads;

namespace TikTokAds.Node.Tests.Gateway;

public sealed class CallbackUrlTests
{
    [Theory]
    [InlineData("https://crm.example.com/tiktok/leads")]
    [InlineData("https://93.184.215.14/leads")]
    [InlineData("https://[2606:4700:4700::1111]/leads")]
    [InlineData("https://[64:ff9b::808:808]/leads")]
    public void Public_https_receivers_are_accepted(string url) => Assert.Null(CallbackUrls.Problem(url, allowPrivate: false));

    [Theory]
    [InlineData("http://crm.example.com/leads")]
    [InlineData("https://localhost/leads")]
    [InlineData("https://127.0.0.1/leads")]
    [InlineData("https://10.1.2.3/leads")]
    [InlineData("https://172.20.0.5/leads")]
    [InlineData("https://192.168.1.10/leads")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/leads")]
    [InlineData("https://[fd00::1]/leads")]
    [InlineData("https://db.internal/leads")]
    [InlineData("https://localhost.:9443/")]
    [InlineData("https://crm.example.com./leads")]
    [InlineData("https://127.0.0.1.nip.io/leads")]
    [InlineData("https://10.0.0.5.sslip.io/leads")]
    [InlineData("https://intranet/leads")]
    [InlineData("https://printer.lan/leads")]
    [InlineData("https://[64:ff9b::7f00:1]/")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/latest/meta-data")]
    [InlineData("https://[64:ff9b:1::a00:1]/")]
    [InlineData("https://[::ffff:127.0.0.1]/")]
    [InlineData("https://[::ffff:a00:1]/")]
    [InlineData("https://[::127.0.0.1]/")]
    [InlineData("https://[::]/")]
    [InlineData("https://[2002:7f00:1::1]/")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/")]
    [InlineData("https://[fe80::1%25eth0]/")]
    [InlineData("https://[ff02::1]/")]
    [InlineData("https://[2001:db8::1]/")]
    [InlineData("https://0.0.0.0/")]
    [InlineData("https://2130706433/")]
    [InlineData("https://0x7f.1/")]
    [InlineData("https://100.64.0.1/")]
    [InlineData("https://224.0.0.1/")]
    [InlineData("https://255.255.255.255/")]
    [InlineData("https://203.0.113.7/leads")]
    [InlineData("https://user:pass@crm.example.com/leads")]
    [InlineData("ftp://crm.example.com/leads")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Internal_plain_or_malformed_receivers_are_refused(string url) => Assert.NotNull(CallbackUrls.Problem(url, allowPrivate: false));

    [Fact]
    public void Operators_may_allow_private_receivers_over_http()
    {
        Assert.Null(CallbackUrls.Problem("http://127.0.0.1:9000/leads", allowPrivate: true));
        Assert.NotNull(CallbackUrls.Problem("ftp://127.0.0.1/leads", allowPrivate: true));
    }
}
