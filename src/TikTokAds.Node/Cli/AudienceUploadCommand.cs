using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace TikTokAds.Node.Cli;

/// <summary>
/// `audiences upload --url URL --api-key KEY --audience ID --file customers.csv [--action APPEND|REMOVE|REPLACE]
/// [--chunk N] [--calling-code 40]`: hashes a customer CSV here and syncs it through the public API,
/// with a progress bar. REPLACE goes in one request, since each request of a REPLACE is the whole set.
/// </summary>
internal static class AudienceUploadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options(args);
        if (!options.TryGetValue("url", out var url) || !options.TryGetValue("api-key", out var apiKey) || !options.TryGetValue("audience", out var audience) || !options.TryGetValue("file", out var file))
        {
            await Console.Error.WriteLineAsync("usage: audiences upload --url http://node:8080 --api-key tta_… --audience aud_… --file customers.csv [--action APPEND|REMOVE|REPLACE] [--chunk 10000] [--calling-code 40]");
            return 2;
        }
        var action = options.GetValueOrDefault("action", "APPEND").ToUpperInvariant();
        var chunk = int.Parse(options.GetValueOrDefault("chunk", "10000"), CultureInfo.InvariantCulture);
        CsvMembers members;
        try
        {
            members = CsvMembers.Load(Resolve(file), options.GetValueOrDefault("calling-code"));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"audiences upload: {ex.Message}");
            return 1;
        }
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"[bold]{members.Read:N0}[/] rows read, [green]{members.Rows.Count:N0}[/] valid, [yellow]{members.Invalid:N0}[/] dropped (no valid email or phone); hashed here: {string.Join(", ", members.IdSchema)}");
        if (action == "REPLACE")
        {
            chunk = Math.Max(members.Rows.Count, 1);
        }
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var failure = (string?)null;
        var runs = new List<long>();
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"{action} to {audience}", maxValue: Math.Max(members.Rows.Count, 1));
            for (var offset = 0; offset < members.Rows.Count || (offset == 0 && action == "REPLACE"); offset += chunk)
            {
                var slice = members.Rows.Skip(offset).Take(chunk).ToList();
                using var response = await http.PostAsJsonAsync(new Uri($"/api/integrations/tiktok-ads/audiences/{Uri.EscapeDataString(audience)}/sync", UriKind.Relative), new JsonObject
                {
                    ["action"] = action,
                    ["id_schema"] = new JsonArray([.. members.IdSchema.Select(s => (JsonNode)s)]),
                    ["members"] = new JsonArray([.. slice.Select(r => (JsonNode)new JsonArray([.. r.Select(v => (JsonNode?)v)]))]),
                });
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    failure = $"HTTP {(int)response.StatusCode}: {body}";
                    return;
                }
                runs.Add((long)JsonNode.Parse(body)!["run_id"]!);
                task.Increment(Math.Max(slice.Count, 1));
                if (slice.Count == 0)
                {
                    break;
                }
            }
        });
        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"audiences upload: {failure}");
            return 1;
        }
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"queued run(s) {string.Join(", ", runs)}; follow them at GET /api/integrations/tiktok-ads/audiences/{Markup.Escape(audience)}");
        return 0;
    }

    /// <summary>
    /// A relative path as the user meant it: `dotnet run --project` starts the node in the project's folder,
    /// so a file named relative to the shell's folder (PWD) is looked for there when it is not found here.
    /// </summary>
    internal static string Resolve(string file)
    {
        if (Path.IsPathRooted(file) || File.Exists(file))
        {
            return file;
        }
        var shell = Environment.GetEnvironmentVariable("PWD");
        if (shell is { Length: > 0 } && File.Exists(Path.Combine(shell, file)))
        {
            return Path.Combine(shell, file);
        }
        throw new FileNotFoundException($"{file} was not found in {Environment.CurrentDirectory}{(shell is { Length: > 0 } && shell != Environment.CurrentDirectory ? $" nor in {shell}" : "")}; give its full path.");
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[args[i][2..]] = args[i + 1];
            }
        }
        return options;
    }
}
