using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

/// <summary>The CLI creates organizers and keys in a running cluster, as a client that owns no grain.</summary>
public sealed partial class AdministrationCommandTests
{
    private static readonly string NodeAssembly = NodeCli.NodeAssembly;

    [Fact]
    public async Task Organizers_and_keys_created_by_the_cli_work_against_a_running_node()
    {
        var settings = await ClusterSettings.CreateAsync("cli", new()
        {
            ["Gateway:ApiKeyCacheTtl"] = "00:00:00",
        });
        await using var node = NodeProcess.Start(NodeAssembly, settings);
        await node.WaitReadyAsync();

        var (created, createOutput) = await NodeCli.RunAsync(settings, "organizers", "create", "--name", "Night Owl Events");
        var organizerId = OrganizerLine().Match(createOutput).Groups[1].Value;
        var apiKey = KeyLine().Match(createOutput).Groups[1].Value;
        var (_, listOutput) = await NodeCli.RunAsync(settings, "organizers", "list");
        var (_, keysOutput) = await NodeCli.RunAsync(settings, "keys", "list", "--organizer", organizerId);
        var keyId = keysOutput.Split('\t')[0].Trim();
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var before = (await client.GetAsync(new Uri("/api/integrations/tiktok-ads/connection", UriKind.Relative))).StatusCode;
        var (revoked, _) = await NodeCli.RunAsync(settings, "keys", "revoke", "--organizer", organizerId, "--key", keyId);
        var after = (await client.GetAsync(new Uri("/api/integrations/tiktok-ads/connection", UriKind.Relative))).StatusCode;

        Assert.Equal(0, created);
        Assert.Contains("Night Owl Events", listOutput, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(0, revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
        Assert.DoesNotContain(apiKey, keysOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_without_a_database_points_to_the_admin_api()
    {
        var (exit, output) = await NodeCli.RunAsync(new Dictionary<string, string>(), "organizers", "create", "--name", "x");

        Assert.Equal(2, exit);
        Assert.Contains("POST /api/admin/organizers", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"organizer (org_\w+)")]
    internal static partial Regex OrganizerLine();

    [GeneratedRegex(@"api key\s+(tta_\S+)")]
    internal static partial Regex KeyLine();
}
