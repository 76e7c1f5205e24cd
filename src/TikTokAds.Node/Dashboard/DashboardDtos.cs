using TikTokAds.Runtime.Membership;

namespace TikTokAds.Node.Dashboard;

public sealed record NodeView(string NodeId, string Address, string Status, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, bool Reachable, NodeReport? Report);

public sealed record OverviewResponse(DateTimeOffset At, string Self, IReadOnlyList<NodeView> Nodes);

public sealed record ReminderView(string GrainType, string GrainKey, string Name, DateTimeOffset NextDue, double PeriodSeconds);

public sealed record RemindersResponse(long Total, int Page, int PageSize, IReadOnlyList<ReminderView> Reminders);

public sealed record PixelRow(
    string OrganizerId,
    string OrganizerName,
    string PixelId,
    string Status,
    long Accepted,
    long Delivered,
    long Failed,
    long Skipped,
    long Duplicates,
    int BufferDepth,
    int BudgetLeftToday,
    DateTimeOffset? LastFlushAt,
    string? LastError);

public sealed record AudienceRow(string OrganizerId, string OrganizerName, Contracts.Audiences.AudienceView Audience);

internal static class MemberStatusText
{
    public static string Of(MemberStatus status) => status.ToString().ToLowerInvariant();
}
