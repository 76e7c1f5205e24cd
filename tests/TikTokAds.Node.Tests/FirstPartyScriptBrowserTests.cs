using OpenQA.Selenium;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>/sdk/ttclid.js in a real browser: the click id of a landing URL outlives the visit.</summary>
public sealed class FirstPartyScriptBrowserTests
{
    private const string LoadScript = """
        var done = arguments[arguments.length - 1];
        var script = document.createElement('script');
        script.src = '/sdk/ttclid.js';
        script.onload = function () { done(window.TikTokAdsAttribution.ttclid()); };
        script.onerror = function () { done('script failed to load'); };
        document.head.appendChild(script);
        """;

    [Fact]
    public async Task A_landing_page_click_id_stays_in_a_30_day_first_party_cookie_for_later_pages()
    {
        await using var node = NodeProcess.Start(NodeCli.NodeAssembly, new Dictionary<string, string>());
        await node.WaitReadyAsync();
        using var driver = DashboardBrowserTests.StartChrome();
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
        var browser = (IJavaScriptExecutor)driver;

        driver.Navigate().GoToUrl(new Uri(node.BaseAddress, "/dashboard/login?utm_source=tiktok&ttclid=E.C.P.landing-click-42"));
        var onLanding = browser.ExecuteAsyncScript(LoadScript);
        var cookie = driver.Manage().Cookies.GetCookieNamed("ttclid");
        driver.Navigate().GoToUrl(new Uri(node.BaseAddress, "/dashboard/login"));
        var onLaterPage = browser.ExecuteAsyncScript(LoadScript);

        Assert.Equal("E.C.P.landing-click-42", onLanding);
        Assert.Equal("E.C.P.landing-click-42", onLaterPage);
        Assert.NotNull(cookie?.Expiry);
        var lifetime = cookie.Expiry.Value.ToUniversalTime() - DateTime.UtcNow;
        Assert.InRange(lifetime.TotalDays, 29, 31);
    }
}
