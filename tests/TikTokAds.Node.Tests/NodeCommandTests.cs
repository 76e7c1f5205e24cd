using System.Diagnostics;
using Npgsql;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests;

public sealed class NodeCommandTests
{
    private static readonly string NodeAssembly = Path.Combine(AppContext.BaseDirectory, "TikTokAds.Node.dll");

    [Fact]
    public async Task The_migrate_command_creates_the_schema_and_is_idempotent()
    {
        var database = await TestPostgres.CreateDatabaseAsync("migrate_cli");

        var (first, firstOutput) = await RunAsync("migrate", $"--ConnectionStrings:Postgres={database}");
        var (second, secondOutput) = await RunAsync("migrate", $"--ConnectionStrings:Postgres={database}");

        Assert.Equal(0, first);
        Assert.Contains("applied 0001_orleans_clustering.sql", firstOutput, StringComparison.Ordinal);
        Assert.Equal(0, second);
        Assert.Contains("up to date", secondOutput, StringComparison.Ordinal);
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var tables = dataSource.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('orleansquery', 'orleans_membership', 'orleans_storage', 'orleans_reminders', 'pixel_events')");
        await using var queries = dataSource.CreateCommand("SELECT count(*) FROM orleansquery");
        Assert.Equal(5L, await tables.ExecuteScalarAsync());
        Assert.Equal(20L, await queries.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_migrate_command_without_a_database_says_what_to_set()
    {
        var (exit, output) = await RunAsync("migrate");

        Assert.Equal(2, exit);
        Assert.Contains("ConnectionStrings__Postgres", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_healthcheck_command_fails_when_nothing_answers()
    {
        var (exit, output) = await RunAsync("healthcheck", $"http://127.0.0.1:{FreePort.Next()}/health/ready");

        Assert.Equal(1, exit);
        Assert.Contains("did not answer", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(NodeAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("ConnectionStrings__Postgres");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
