using Npgsql;
using TikTokAds.Runtime.Hosting;
using TikTokAds.Runtime.Storage;
using TikTokAds.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace TikTokAds.Runtime.Tests.InProcess;

public sealed class PostgresStorageTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("storage"));
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Theory]
    [InlineData("postgres")]
    [InlineData("memory")]
    public async Task A_write_with_a_stale_etag_is_refused(string provider)
    {
        IGrainStorage storage = provider == "postgres" ? new PostgresGrainStorage(_dataSource) : new InMemoryGrainStorage();
        var id = new GrainId("probe", $"etag-{provider}");
        var first = await storage.WriteAsync(id, "s", """{"value":1}""", null, CancellationToken.None);
        var second = await storage.WriteAsync(id, "s", """{"value":2}""", first, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(id, "s", """{"value":3}""", first, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(id, "s", """{"value":3}""", null, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(id, "s", first, CancellationToken.None));
        var stored = await storage.ReadAsync(id, "s", CancellationToken.None);

        Assert.Equal(second, stored!.Etag);
        Assert.Contains("2", stored.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrations_apply_once_even_when_nodes_start_together()
    {
        await using var fresh = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("migrate"));
        var migrators = Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(fresh, NullLogger<SchemaMigrator>.Instance));

        var applied = await Task.WhenAll(migrators.Select(m => m.MigrateAsync(CancellationToken.None)));

        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Name), applied.SelectMany(list => list).Order(StringComparer.Ordinal));
        await using var command = fresh.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)SchemaMigrator.Migrations.Count, await command.ExecuteScalarAsync());
    }
}
