using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests;

/// <summary>The dashboard in a real browser (Debian's Chromium) while events flow to the sandbox.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_dashboard_shows_pixels_with_their_node_growing_counts_a_live_chart_and_the_cluster_page()
    {
        await using var node = NodeProcess.Start(NodeCli.NodeAssembly, new Dictionary<string, string> { ["Admin:ApiKey"] = GatewayFactory.AdminKey }, arguments: ["--sandbox"]);
        await node.WaitReadyAsync();
        using var client = await NodeOrganizer.ConnectAsync(node, "Live Festival", "SANDBOXPIXEL0001", "7000000000000000001", "sandbox-access-token");
        using var traffic = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            for (var batch = 0; !traffic.IsCancellationRequested; batch++)
            {
                await GatewayFactory.PostBatchAsync(client, Enumerable.Range(batch * 50, 50).Select(i => GatewayFactory.Event(i, "ViewContent")));
                await Task.Delay(300);
            }
        });

        using var driver = StartChrome();
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        driver.Navigate().GoToUrl(new Uri(node.BaseAddress, "/dashboard"));
        wait.Until(d => d.Url.Contains("/dashboard/login", StringComparison.Ordinal));
        driver.FindElement(By.Id("key")).SendKeys(GatewayFactory.AdminKey);
        driver.FindElement(By.Id("login")).Click();

        wait.Until(d => Delivered(d) > 0);
        var first = Delivered(driver);
        wait.Until(d => Delivered(d) > first);
        var second = Delivered(driver);
        wait.Until(d => Points(d, "chart-delivery") >= 2);
        var hostedOn = (string?)((IJavaScriptExecutor)driver).ExecuteScript("return document.querySelector('#pixel-list td.node')?.textContent ?? null;");
        var points = Points(driver, "chart-delivery");
        Screenshot(driver, "dashboard-pixels.png");
        driver.Navigate().GoToUrl(new Uri(node.BaseAddress, "/dashboard/cluster/"));
        wait.Until(d => d.PageSource.Contains("Silos", StringComparison.OrdinalIgnoreCase) || d.PageSource.Contains("silo", StringComparison.Ordinal));
        Screenshot(driver, "dashboard-cluster.png");
        await traffic.CancelAsync();
        await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);

        Assert.False(string.IsNullOrEmpty(hostedOn), "the pixel row names no node");
        Assert.True(second > first, $"delivered stayed at {first}");
        Assert.True(points >= 2);
    }

    internal static ChromeDriver StartChrome()
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1400,1000", $"--user-data-dir={Path.Combine(Path.GetTempPath(), $"chrome-{Guid.NewGuid():N}")}");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    // Read in one script call: the page re-renders every 2 s, so an element found in one call may be
    // replaced before the next (StaleElementReferenceException).
    private static long Delivered(IWebDriver driver)
    {
        var text = (string?)((IJavaScriptExecutor)driver).ExecuteScript("return document.querySelector('#pixel-list td.delivered')?.textContent ?? null;");
        return text is null ? 0 : long.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    /// <summary>Points of the first line drawn in a chart.</summary>
    private static int Points(IWebDriver driver, string chartId)
    {
        var points = (string?)((IJavaScriptExecutor)driver).ExecuteScript($"return document.querySelector('#{chartId} polyline')?.getAttribute('points') ?? null;");
        return points?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
    }

    private void Screenshot(IWebDriver driver, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot: {path}");
    }
}
