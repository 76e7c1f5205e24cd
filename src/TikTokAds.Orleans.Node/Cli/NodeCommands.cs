using TikTokAds.Orleans.Runtime.Hosting;

namespace TikTokAds.Orleans.Node.Cli;

/// <summary>Commands of the node executable besides serving: `migrate` applies sql/ to ConnectionStrings:Postgres.</summary>
internal static class NodeCommands
{
    private static readonly string[] Commands = ["migrate"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
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
        var applied = await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        await Console.Out.WriteLineAsync(applied.Count == 0
            ? "migrate: the database is up to date."
            : $"migrate: applied {string.Join(", ", applied)}.");
        return 0;
    }
}
