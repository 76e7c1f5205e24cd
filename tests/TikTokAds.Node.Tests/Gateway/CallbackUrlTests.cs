using TikTokAds.Node.Apis.Leads;

namespace TikTokAds.Node.Tests.Gateway;

public sealed class CallbackUrlTests
{
    [Theory]
    [InlineData("https://crm.example.com/tiktok/leads")]
    [InlineData("https://203.0.113.7/leads")]
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
