namespace TikTokAds.Runtime.Membership;

/// <summary>The embedded default: a cluster of one, with nothing to agree on.</summary>
internal sealed class SingleNodeMembership(string nodeId, TimeProvider timeProvider) : IClusterMembership
{
    private MemberStatus _status = MemberStatus.Left;

    public ClusterNode Self { get; private set; } = new(nodeId, "", timeProvider.GetUtcNow());
    public ClusterView View { get; private set; } = new(0, []);
    public bool IsServing => _status == MemberStatus.Active;

    public event Action<ClusterView>? ViewChanged;

    public Task JoinAsync(string advertisedAddress, CancellationToken cancellationToken)
    {
        Self = Self with { Address = advertisedAddress };
        _status = MemberStatus.Active;
        View = new ClusterView(1, [Self]);
        ViewChanged?.Invoke(View);
        return Task.CompletedTask;
    }

    public Task RefreshAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task BeginLeaveAsync(CancellationToken cancellationToken)
    {
        _status = MemberStatus.Leaving;
        return Task.CompletedTask;
    }

    public Task CompleteLeaveAsync(CancellationToken cancellationToken)
    {
        _status = MemberStatus.Left;
        View = new ClusterView(View.Version + 1, []);
        ViewChanged?.Invoke(View);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MemberRecord>> ReadMembersAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        IReadOnlyList<MemberRecord> members = [new MemberRecord(Self.NodeId, Self.Address, _status, Self.StartedAt, now, null)];
        return Task.FromResult(members);
    }
}
