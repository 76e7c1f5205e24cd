using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TikTokAds.Runtime.Hosting;
using TikTokAds.Runtime.Internal;

namespace TikTokAds.Runtime.Membership;

/// <summary>
/// Membership through the cluster_members table. Every node heartbeats by database time and, in the same
/// transaction, declares dead any node silent for longer than the death timeout. Dead is final.
/// </summary>
internal sealed class PostgresMembership(
    NpgsqlDataSource dataSource,
    IOptions<ClusterOptions> options,
    NodeIdentity identity,
    IHostApplicationLifetime lifetime,
    ILogger<PostgresMembership> logger) : IClusterMembership
{
    private static readonly TimeSpan RefreshDebounce = TimeSpan.FromMilliseconds(100);
    private readonly ClusterOptions _options = options.Value;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private long _lastRefresh;
    private volatile MemberStatus _status = MemberStatus.Left;

    public ClusterNode Self { get; private set; } = new(identity.NodeId, "", DateTimeOffset.UtcNow);
    public ClusterView View { get; private set; } = new(0, []);
    public bool IsServing => _status == MemberStatus.Active;

    public event Action<ClusterView>? ViewChanged;

    public async Task JoinAsync(string advertisedAddress, CancellationToken cancellationToken)
    {
        if (_options.ClientOnly)
        {
            Self = new ClusterNode(identity.NodeId, advertisedAddress, DateTimeOffset.UtcNow);
            _status = MemberStatus.Active;
            await ReadViewAsync(cancellationToken);
            return;
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO cluster_members (node_id, address, status, started_at, last_heartbeat, streak_start)
            VALUES ($1, $2, 'active', now(), now(), now())
            RETURNING started_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = identity.NodeId });
        command.Parameters.Add(new NpgsqlParameter { Value = advertisedAddress });
        var startedAt = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        Self = new ClusterNode(identity.NodeId, advertisedAddress, new DateTimeOffset(startedAt, TimeSpan.Zero));
        _status = MemberStatus.Active;
        RuntimeLog.JoinedCluster(logger, identity.NodeId, advertisedAddress);
        await ReadViewAsync(cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (_status is not (MemberStatus.Active or MemberStatus.Leaving))
            {
                continue;
            }
            try
            {
                if (_options.ClientOnly)
                {
                    await ReadViewAsync(cancellationToken);
                }
                else
                {
                    await HeartbeatAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The database being away is not a reason to stop serving: the last view stays in force,
                // and nobody can be declared dead until heartbeats have flowed again for a full timeout.
                RuntimeLog.HeartbeatFailed(logger, ex);
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DeathTimeout);
        await using var batch = dataSource.CreateBatch();
        // A gap in this node's own heartbeats (its pause, or the database's) restarts its streak: it may only
        // declare others dead after heartbeating without a gap for a whole death timeout itself.
        batch.BatchCommands.Add(Command("""
            UPDATE cluster_members
            SET streak_start = CASE WHEN last_heartbeat < now() - $2 THEN now() ELSE streak_start END,
                last_heartbeat = now()
            WHERE node_id = $1 AND status IN ('active', 'leaving')
            RETURNING status
            """, identity.NodeId, _options.HeartbeatInterval * 3));
        batch.BatchCommands.Add(Command("""
            UPDATE cluster_members SET status = 'dead', ended_at = now()
            WHERE status IN ('active', 'leaving') AND last_heartbeat < now() - $2
              AND EXISTS (SELECT 1 FROM cluster_members me
                          WHERE me.node_id = $1 AND me.status = 'active' AND me.streak_start <= now() - $2)
            RETURNING node_id
            """, identity.NodeId, _options.DeathTimeout));
        batch.BatchCommands.Add(Command(ActiveNodesSql));
        await using var reader = await batch.ExecuteReaderAsync(timeout.Token);
        var stillMember = await reader.ReadAsync(timeout.Token);
        await reader.NextResultAsync(timeout.Token);
        while (await reader.ReadAsync(timeout.Token))
        {
            RuntimeLog.DeclaredDead(logger, reader.GetString(0), _options.DeathTimeout);
        }
        await reader.NextResultAsync(timeout.Token);
        var nodes = await ReadNodesAsync(reader, timeout.Token);
        if (!stillMember)
        {
            OnDeclaredDead();
            return;
        }
        Publish(nodes);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (TimeProvider.System.GetElapsedTime(Interlocked.Read(ref _lastRefresh)) < RefreshDebounce)
        {
            return;
        }
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (TimeProvider.System.GetElapsedTime(Interlocked.Read(ref _lastRefresh)) >= RefreshDebounce)
            {
                await ReadViewAsync(cancellationToken);
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public async Task BeginLeaveAsync(CancellationToken cancellationToken)
    {
        _status = MemberStatus.Leaving;
        if (!_options.ClientOnly)
        {
            await SetStatusAsync("leaving", cancellationToken);
        }
    }

    public async Task CompleteLeaveAsync(CancellationToken cancellationToken)
    {
        _status = MemberStatus.Left;
        if (!_options.ClientOnly)
        {
            await SetStatusAsync("left", cancellationToken);
            RuntimeLog.LeftCluster(logger, identity.NodeId);
        }
    }

    public async Task<IReadOnlyList<MemberRecord>> ReadMembersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT node_id, address, status, started_at, last_heartbeat, ended_at
            FROM cluster_members ORDER BY started_at DESC LIMIT 200
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<MemberRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new MemberRecord(
                reader.GetString(0),
                reader.GetString(1),
                Enum.Parse<MemberStatus>(reader.GetString(2), ignoreCase: true),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return members;
    }

    private const string ActiveNodesSql = "SELECT node_id, address, started_at FROM cluster_members WHERE status = 'active' ORDER BY node_id";

    private async Task ReadViewAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ActiveNodesSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Publish(await ReadNodesAsync(reader, cancellationToken));
    }

    private static async Task<List<ClusterNode>> ReadNodesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var nodes = new List<ClusterNode>();
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(new ClusterNode(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return nodes;
    }

    private void Publish(List<ClusterNode> nodes)
    {
        Interlocked.Exchange(ref _lastRefresh, TimeProvider.System.GetTimestamp());
        var current = View;
        var next = new ClusterView(current.Version + 1, nodes);
        if (current.SameMembers(next))
        {
            return;
        }
        View = next;
        RuntimeLog.ViewChanged(logger, next.Nodes.Count, string.Join(", ", next.Nodes.Select(n => n.NodeId)));
        ViewChanged?.Invoke(next);
    }

    private void OnDeclaredDead()
    {
        if (_status == MemberStatus.Dead)
        {
            return;
        }
        _status = MemberStatus.Dead;
        RuntimeLog.SelfDeclaredDead(logger, identity.NodeId);
        lifetime.StopApplication();
    }

    private async Task SetStatusAsync(string status, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE cluster_members SET status = $2, ended_at = CASE WHEN $2 = 'left' THEN now() ELSE ended_at END
            WHERE node_id = $1 AND status IN ('active', 'leaving')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = identity.NodeId });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return command;
    }
}
