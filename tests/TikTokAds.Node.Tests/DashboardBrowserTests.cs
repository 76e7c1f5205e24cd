using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Sandbox;
using TikTokAds.Testing;
using Xunit.Abstractions;

namespace TikTokAds.Node.Tests;

/// <summary>The dashboard in a real browser (Debian's Chromium) while events flow to the sandbox.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_a_two_node_cluster_the_dashboard_shows_pixels_with_their_node_and_orleans_shows_both_silos_behind_one_login()
    {
        await using var sandbox = await SandboxHost.StartAsync(o => o.RequestsPerSecondPerPixel = 1000);
        var token = sandbox.AddToken(["7000000000000000901"], ["PIXELLIVE"]);
        var settings = await ClusterSettings.CreateAsync("browser", new() { ["Admin:ApiKey"] = GatewayFactory.AdminKey, ["TikTok:BaseUrl"] = sandbox.ApiBaseUrl });
        await using var node = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await using var other = NodeProcess.Start(NodeCli.NodeAssembly, settings);
        await Task.WhenAll(node.WaitReadyAsync(), other.WaitReadyAsync());
        using var client = await NodeOrganizer.ConnectAsync(node, "Live Festival", "PIXELLIVE", "7000000000000000901", token);
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
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException), typeof(NoSuchFrameException));
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
        driver.FindElement(By.CssSelector("nav button[data-tab='cluster']")).Click();
        driver.SwitchTo().Frame("cluster-frame");
        ((IJavaScriptExecutor)driver).ExecuteScript("location.hash = '#/silos';");
        wait.Until(d => d.PageSource.Contains($":{node.SiloPort}", StringComparison.Ordinal) && d.PageSource.Contains($":{other.SiloPort}", StringComparison.Ordinal));
        driver.SwitchTo().DefaultContent();
        Screenshot(driver, "dashboard-cluster.png");
        await traffic.CancelAsync();
        await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);

        Assert.Contains(hostedOn, new[] { $"127.0.0.1:{node.SiloPort}", $"127.0.0.1:{other.SiloPort}" });
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
