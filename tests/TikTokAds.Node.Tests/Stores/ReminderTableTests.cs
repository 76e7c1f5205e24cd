using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;
using TikTokAds.Node.Cluster;
using TikTokAds.Testing;

namespace TikTokAds.Node.Tests.Stores;

/// <summary>
/// The node's reminder table on a real PostgreSQL (<see cref="CombinedReminderTable"/>): registrations that wait
/// behind a running write share the next one, and each row reads back through Orleans' own ADO.NET table with the
/// version its registration heard, so Orleans' reads, ring ranges and ETag checks work as before.
/// </summary>
public sealed class ReminderTableTests : IAsyncLifetime
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private NpgsqlDataSource _dataSource = null!;
    private IHost _host = null!;
    private IReminderTable _table = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("reminders"));
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(default);
        // The silo's services as the node registers them; the silo is never started.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(_dataSource);
        builder.UseOrleans(silo =>
        {
            silo.Services.Configure<ClusterOptions>(cluster => cluster.ServiceId = "reminder-tests");
            silo.UseAdoNetReminderService(o => o.Configure<NpgsqlDataSource>((reminders, database) =>
            {
                reminders.Invariant = "Npgsql";
                reminders.DataSource = database;
            }));
            ClusterExtensions.CombineReminderUpserts(silo.Services);
        });
        _host = builder.Build();
        _table = _host.Services.GetRequiredService<IReminderTable>();
        await _table.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _dataSource.DisposeAsync();
    }

    private static ReminderEntry Entry(int pixel, string name = "flush") => new()
    {
        GrainId = GrainId.Create("pixel", $"org_r/pixel_{pixel}"),
        ReminderName = name,
        StartAt = DateTime.UtcNow,
        Period = Period,
    };

    [Fact]
    public async Task Registrations_waiting_behind_a_write_share_the_next_one_and_each_hears_version_zero()
    {
        // A lock that stops every insert into orleans_reminders holds the first registration's write open.
        await using var blocker = await _dataSource.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE orleans_reminders IN SHARE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        var first = _table.UpsertRow(Entry(0));
        await WaitForLockWaitAsync();
        var behind = Enumerable.Range(1, 40).Select(p => _table.UpsertRow(Entry(p))).ToArray();
        await hold.CommitAsync();

        Assert.Equal("0", await first);
        Assert.All(await Task.WhenAll(behind), version => Assert.Equal("0", version));
        // Rows written in one transaction carry its id (xmin).
        Assert.Equal(1L, await ScalarAsync("SELECT count(DISTINCT xmin::text) FROM orleans_reminders WHERE grain_id <> $1", Entry(0).GrainId.ToString()));
        Assert.Equal(2L, await ScalarAsync("SELECT count(DISTINCT xmin::text) FROM orleans_reminders", null));
    }

    [Fact]
    public async Task A_reminder_registered_twice_at_once_gets_two_versions_and_Orleans_table_reads_and_removes_it_by_the_last()
    {
        Assert.Equal("0", await _table.UpsertRow(Entry(1)));
        var twice = await Task.WhenAll(_table.UpsertRow(Entry(1)), _table.UpsertRow(Entry(1)), _table.UpsertRow(Entry(2)), _table.UpsertRow(Entry(1, "other")));
        Assert.Equal(["1", "2"], twice.Take(2).Order());
        Assert.Equal(["0", "0"], twice.Skip(2));

        var entry = Entry(1);
        var stored = await _table.ReadRow(entry.GrainId, "flush");
        Assert.NotNull(stored);
        Assert.Equal("2", stored.ETag);
        Assert.Equal(Period, stored.Period);
        Assert.Equal(2, (await _table.ReadRows(entry.GrainId)).Reminders.Count);
        // Orleans reads a silo's share of reminders by the grain's hash on the ring: (begin, end].
        var hash = entry.GrainId.GetUniformHashCode();
        Assert.Contains((await _table.ReadRows(hash - 1, hash)).Reminders, r => r.GrainId == entry.GrainId && r.ReminderName == "flush");
        Assert.DoesNotContain((await _table.ReadRows(hash, hash + 1)).Reminders, r => r.GrainId == entry.GrainId);

        Assert.False(await _table.RemoveRow(entry.GrainId, "flush", "1"));
        Assert.True(await _table.RemoveRow(entry.GrainId, "flush", "2"));
        Assert.Null(await _table.ReadRow(entry.GrainId, "flush"));
    }

    private async Task WaitForLockWaitAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            if ((long)(await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", null))! > 0)
            {
                return;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException("The first registration never waited for the lock.");
    }

    private async Task<object?> ScalarAsync(string sql, string? value)
    {
        await using var command = _dataSource.CreateCommand(sql);
        if (value is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return await command.ExecuteScalarAsync();
    }
}
