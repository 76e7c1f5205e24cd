namespace TikTokAds.Node.Dashboard;

/// <summary>One connected pixel as the dashboard lists it; Node is the silo that hosts its grain.</summary>
public sealed record PixelRow(
    string OrganizerId,
    string OrganizerName,
    string PixelId,
    string Status,
    string Node,
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

public sealed record ProblemReport(DateTimeOffset At, string Level, string Category, string Message);
