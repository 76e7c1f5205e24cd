
using TikTokAds.Node.Cluster;

namespace TikTokAds.Node.Cli;

/// <summary>
/// Commands of the node executable besides serving: `migrate` applies sql/ to ConnectionStrings:Postgres;
/// `healthcheck [url]` exits 0 when the node answers /health/ready (for container health checks);
/// `organizers …` and `keys …` administer organizers and API keys (see AdministrationCommands);
/// `audiences upload …` hashes a customer CSV locally and syncs it (see AudienceUploadCommand);
/// `cluster-cert create …` makes the certificate nodes use for mutual TLS (see ClusterCertificateCommand).
/// </summary>
internal static class NodeCommands
{
    private static readonly string[] Commands = ["migrate", "healthcheck", "organizers", "keys", "tokens", "audiences", "cluster-cert"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static Task<int> RunAsync(string[] args) => args[0] switch
    {
        "healthcheck" => HealthCheckAsync(args),
        "organizers" or "keys" or "tokens" => AdministrationCommands.RunAsync(args),
        "audiences" => AudienceUploadCommand.RunAsync(args),
        "cluster-cert" => ClusterCertificateCommand.RunAsync(args),
        _ => MigrateAsync(args),
    };

    private static async Task<int> HealthCheckAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/health/ready";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            await Console.Out.WriteLineAsync($"healthcheck: {url} answered {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Out.WriteLineAsync($"healthcheck: {url} did not answer: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args[1..]);
        var connectionString = builder.Configuration.GetConnectionString(PostgresConnection.Name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("migrate: set ConnectionStrings__Postgres (or --ConnectionStrings:Postgres=...) to the database to migrate.");
            return 2;
        }
        builder.Services.AddSingleton(Npgsql.NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<SchemaMigrator>();
        using var host = builder.Build();
        // The migrator waits up to about a minute for the database to come up; Ctrl+C stops it sooner.
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var applied = await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(stop.Token);
        await Console.Out.WriteLineAsync(applied.Count == 0
            ? "migrate: the database is up to date."
            : $"migrate: applied {string.Join(", ", applied)}.");
        return 0;
    }
}
