using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TikTokAds.Node.Tests.Gateway;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

public sealed partial class AudienceUploadCommandTests
{
    private static string Csv(int rows, int invalid)
    {
        var path = Path.Combine(Path.GetTempPath(), $"customers-{Guid.NewGuid():N}.csv");
        var lines = new List<string> { "name,Email,phone" };
        lines.AddRange(Enumerable.Range(0, rows).Select(i => $"\"Fan, {i}\", Fan{i}@Example.com ,+40 721 {i:D3} {i % 1000:D3}"));
        lines.AddRange(Enumerable.Range(0, invalid).Select(i => $"Nobody {i},not-an-email,call me"));
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Only_hashes_leave_the_machine()
    {
        var bodies = new ConcurrentQueue<string>();
        var port = FreePort.Next();
        await using var fake = WebApplication.Create(["--urls", $"http://127.0.0.1:{port}"]);
        fake.MapPost("/api/integrations/tiktok-ads/audiences/{id}/sync", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.Accepted(value: new JsonObject { ["run_id"] = bodies.Count });
        });
        await fake.StartAsync();
        var csv = Csv(250, 5);

        var (exit, output) = await NodeCli.RunAsync(new Dictionary<string, string>(), "audiences", "upload", "--url", $"http://127.0.0.1:{port}", "--api-key", "tta_x_y", "--audience", "aud_1", "--file", csv, "--chunk", "100");

        Assert.True(exit == 0, output);
        Assert.Equal(3, bodies.Count);
        var sent = string.Join('\n', bodies);
        Assert.DoesNotContain("example.com", sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("+40", sent, StringComparison.Ordinal);
        var cells = bodies.SelectMany(b => JsonNode.Parse(b)!["members"]!.AsArray()).SelectMany(r => r!.AsArray()).ToList();
        Assert.Equal(500, cells.Count);
        Assert.All(cells, cell => Assert.Matches(Sha256(), (string?)cell ?? ""));
        var plain = Ansi().Replace(output, "");
        Assert.Contains("255 rows read", plain, StringComparison.Ordinal);
        Assert.Contains("5 dropped", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readme_command_reads_a_file_named_relative_to_the_shell_folder()
    {
        // As the README runs it: `dotnet run --project` from the repository (or anywhere), which starts the
        // node in the project's folder, with the CSV in the shell's folder.
        var bodies = new ConcurrentQueue<string>();
        var port = FreePort.Next();
        await using var fake = WebApplication.Create(["--urls", $"http://127.0.0.1:{port}"]);
        fake.MapPost("/api/integrations/tiktok-ads/audiences/{id}/sync", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.Accepted(value: new JsonObject { ["run_id"] = bodies.Count });
        });
        await fake.StartAsync();
        var shell = Directory.CreateTempSubdirectory("upload-shell-").FullName;
        File.WriteAllLines(Path.Combine(shell, "customers.csv"), ["email,phone", "fan@example.com,+40721234567", "other@example.com,"]);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = shell, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "run", "--project", Path.Combine(RepositoryRoot.Path, "src", "TikTokAds.Node"), "-c", "Release", "--no-build", "--",
            "audiences", "upload", "--url", $"http://127.0.0.1:{port}", "--api-key", "tta_x_y", "--audience", "aud_1", "--file", "customers.csv" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["PWD"] = shell;
        info.Environment.Remove("ConnectionStrings__Postgres");

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("2 rows read", Ansi().Replace(output, ""), StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(Assert.Single(bodies))!["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_missing_file_says_where_it_was_looked_for()
    {
        var (exit, output) = await NodeCli.RunAsync(new Dictionary<string, string>(), "audiences", "upload", "--url", "http://127.0.0.1:1", "--api-key", "tta_x_y", "--audience", "aud_1", "--file", "no-such-customers.csv");

        Assert.Equal(1, exit);
        Assert.Contains("no-such-customers.csv was not found in", output, StringComparison.Ordinal);
        Assert.Contains("give its full path", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_uploaded_with_the_cli_ends_up_in_the_audience()
    {
        await using var node = NodeProcess.Start(NodeCli.NodeAssembly, new Dictionary<string, string>
        {
            ["Admin:ApiKey"] = GatewayFactory.AdminKey,
            ["Sandbox:AudienceProcessingTime"] = "00:00:00",
            ["Audiences:ReadyPollFirst"] = "00:00:00.200",
            ["Audiences:ReadyPollInterval"] = "00:00:00.200",
        }, arguments: ["--sandbox"]);
        await node.WaitReadyAsync();
        using var admin = new HttpClient { BaseAddress = node.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFactory.AdminKey);
        var apiKey = (string)(await (await admin.PostAsJsonAsync("/api/admin/organizers", new JsonObject { ["name"] = "CSV" })).Content.ReadFromJsonAsync<JsonObject>())!["api_key"]!;
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        (await client.PostAsJsonAsync("/api/integrations/tiktok-ads/connect", new JsonObject { ["pixel_id"] = "SANDBOXPIXEL0001", ["access_token"] = "sandbox-access-token", ["advertiser_id"] = "7000000000000000001" })).EnsureSuccessStatusCode();
        var audience = (await (await client.PostAsJsonAsync("/api/integrations/tiktok-ads/audiences", new JsonObject { ["advertiser_id"] = "7000000000000000001", ["custom_audience_name"] = "From CSV" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var audienceId = (string)audience["id"]!;

        var (exit, output) = await NodeCli.RunAsync(new Dictionary<string, string>(), "audiences", "upload", "--url", node.BaseAddress.ToString(), "--api-key", apiKey, "--audience", audienceId, "--file", Csv(1000, 10), "--chunk", "400");
        JsonObject view = null!;
        for (var i = 0; i < 100; i++)
        {
            view = (await client.GetFromJsonAsync<JsonObject>($"/api/integrations/tiktok-ads/audiences/{audienceId}"))!;
            if (view["runs"]!.AsArray().Count == 3 && view["runs"]!.AsArray().All(r => (string?)r!["status"] == "done"))
            {
                break;
            }
            await Task.Delay(100);
        }

        Assert.True(exit == 0, output);
        Assert.Equal(2000, (long)view["members"]!);
        Assert.Equal(1000, view["runs"]!.AsArray().Sum(r => (int)r!["uploaded"]!));
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}
