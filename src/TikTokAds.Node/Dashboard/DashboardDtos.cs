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

/// <summary>An audience as the dashboard lists it, in the same shape (and names) as the public API answers.</summary>
public sealed record AudienceRow(string OrganizerId, string OrganizerName, Apis.Audiences.AudienceResponse Audience, IReadOnlyList<Apis.Audiences.AppliedAdGroupResponse> AdGroups);

/// <summary>A segment as the dashboard lists it, in the same shape as GET /segments answers.</summary>
public sealed record SegmentRow(string OrganizerId, string OrganizerName, Apis.Segments.SegmentResponse Segment);

/// <summary>The audience page: audiences (with the ad groups they are applied to) and segments.</summary>
public sealed record AudiencesPage(AudienceRow[] Audiences, SegmentRow[] Segments);

/// <summary>An alert as the dashboard lists it, in the same shape as GET /alerts answers, with its organizer.</summary>
public sealed record AlertRow(string OrganizerId, string OrganizerName, Contracts.Alerts.AlertView Alert);

/// <summary>A pixel's proof of delivery on the dashboard, each part as the public API answers it.</summary>
public sealed record PixelAssurance(
    IReadOnlyList<Apis.Events.DeadLetterResponse> DeadLetters,
    IReadOnlyList<Apis.Events.RequestResponse> Requests,
    Apis.Assurance.ReconciliationResponse Reconciliation,
    Apis.Assurance.MatchQualityResponse MatchQuality);

public sealed record ProblemReport(DateTimeOffset At, string Level, string Category, string Message);
