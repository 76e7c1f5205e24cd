namespace TikTokAds.Runtime.Membership;

/// <summary>A row of the membership table, alive or not, for operators.</summary>
public sealed record MemberRecord(string NodeId, string Address, MemberStatus Status, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, DateTimeOffset? EndedAt);

public enum MemberStatus
{
    Active,
    Leaving,
    Left,
    Dead,
}
