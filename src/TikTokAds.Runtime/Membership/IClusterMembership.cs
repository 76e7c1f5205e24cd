namespace TikTokAds.Runtime.Membership;

/// <summary>Which nodes are alive, as agreed through the membership table.</summary>
public interface IClusterMembership
{
    /// <summary>This node; its id is fresh on every start.</summary>
    ClusterNode Self { get; }

    ClusterView View { get; }

    /// <summary>False before joining, once leaving, and for good once another node declared this one dead.</summary>
    bool IsServing { get; }

    event Action<ClusterView>? ViewChanged;

    Task JoinAsync(string advertisedAddress, CancellationToken cancellationToken);

    /// <summary>Reads membership now (heartbeating and declaring silent nodes dead as a side effect where applicable).</summary>
    Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>Announces the start of a graceful stop: other nodes stop routing here.</summary>
    Task BeginLeaveAsync(CancellationToken cancellationToken);

    Task CompleteLeaveAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<MemberRecord>> ReadMembersAsync(CancellationToken cancellationToken);

    /// <summary>Keeps membership current (heartbeats, failure detection) until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
