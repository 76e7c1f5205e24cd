using TikTokAds.Node.Apis;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Cluster;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Cli;

/// <summary>
/// `organizers create --name N | list`, `keys issue|list|revoke --organizer ID [--key KEYID]` and
/// `tokens rotate` (re-encrypt stored TikTok tokens under the active key). The command connects to the
/// cluster as an Orleans client, through a node's gateway port, and calls the same grains the admin API does.
/// </summary>
internal static class AdministrationCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (verb, options, settings) = Parse(args);
        var builder = Host.CreateApplicationBuilder([.. settings, "--Logging:LogLevel:Default=Warning"]);
        if (PostgresConnection.Of(builder.Configuration) is not { } connectionString)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: the embedded default keeps organizers in memory inside the running node; use its admin API (POST /api/admin/organizers), or set ConnectionStrings__Postgres to administer a cluster.");
            return 2;
        }
        var cluster = builder.Configuration.GetSection(ClusterNodeOptions.SectionName).Get<ClusterNodeOptions>() ?? new();
        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            client.UseAdoNetClustering(o => (o.Invariant, o.DataSource) = ("Npgsql", Npgsql.NpgsqlDataSource.Create(connectionString)));
            if (cluster.CertificatePath is { } path)
            {
                var certificate = ClusterCertificate.Load(path, cluster.CertificatePassword);
                client.UseTls(certificate, tls => ClusterCertificate.Configure(tls, certificate));
            }
        });
        builder.Services.AddMemoryCache();
        builder.Services.AddOptions<GatewayOptions>();
        builder.Services.AddSingleton<ApiKeyResolver>();
        builder.Services.AddSingleton<OrganizerAdministration>();
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (Exception ex) when (ex is OrleansException or SiloUnavailableException or TimeoutException or Npgsql.NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: no node of the cluster answers ({ex.Message}); start one (dotnet run --project src/TikTokAds.Node) and retry.");
            return 3;
        }
        try
        {
            return await ExecuteAsync(args[0], verb, options, host.Services.GetRequiredService<OrganizerAdministration>());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<int> ExecuteAsync(string noun, string verb, Dictionary<string, string> options, OrganizerAdministration administration)
    {
        switch (noun, verb)
        {
            case ("organizers", "create") when options.TryGetValue("name", out var name) && name.Length is > 0 and <= 200:
                var created = await administration.CreateOrganizerAsync(name);
                Console.WriteLine($"organizer {created.Id} \"{created.Name}\"");
                Console.WriteLine($"api key   {created.ApiKey}");
                Console.WriteLine("The key is shown this once; store it now.");
                return 0;
            case ("organizers", "list"):
                foreach (var organizer in await administration.ListOrganizersAsync())
                {
                    Console.WriteLine($"{organizer.Id}\t{organizer.CreatedAt:yyyy-MM-dd}\t{organizer.Name}");
                }
                return 0;
            case ("keys", "issue") when options.TryGetValue("organizer", out var organizerId):
                var key = await administration.IssueKeyAsync(organizerId);
                if (key is null)
                {
                    return NotFound(organizerId);
                }
                Console.WriteLine($"key {key.KeyId}: {key.ApiKey}");
                Console.WriteLine("The key is shown this once; store it now.");
                return 0;
            case ("keys", "list") when options.TryGetValue("organizer", out var organizerId):
                var keys = await administration.ListKeysAsync(organizerId);
                if (keys is null)
                {
                    return NotFound(organizerId);
                }
                foreach (var k in keys)
                {
                    Console.WriteLine($"{k.KeyId}\t{k.Prefix}\tcreated {k.CreatedAt:u}\t{(k.RevokedAt is { } r ? $"revoked {r:u}" : "active")}");
                }
                return 0;
            case ("keys", "revoke") when options.TryGetValue("organizer", out var organizerId) && options.TryGetValue("key", out var keyId):
                if (!await administration.RevokeKeyAsync(organizerId, keyId))
                {
                    await Console.Error.WriteLineAsync($"keys: no key {keyId} for organizer {organizerId}.");
                    return 1;
                }
                Console.WriteLine($"key {keyId} revoked");
                return 0;
            case ("tokens", "rotate"):
                var (organizers, tokens) = await administration.RotateTokensAsync();
                Console.WriteLine($"re-encrypted {tokens} token(s) of {organizers} organizer(s) under the active key");
                return 0;
            default:
                await Console.Error.WriteLineAsync("""
                    usage: organizers create --name "Name" | organizers list
                           keys issue --organizer ID | keys list --organizer ID | keys revoke --organizer ID --key KEYID
                           tokens rotate
                    """);
                return 2;
        }
    }

    private static int NotFound(string organizerId)
    {
        Console.Error.WriteLine($"no organizer {organizerId}");
        return 1;
    }

    /// <summary>noun verb [--name x] [--organizer x] [--key x], and any --Section:Key=value settings.</summary>
    private static (string Verb, Dictionary<string, string> Options, List<string> Settings) Parse(string[] args)
    {
        var verb = args.Length > 1 ? args[1] : "";
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] is "--name" or "--organizer" or "--key" && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                settings.Add(args[i]);
            }
        }
        return (verb, options, settings);
    }
}
