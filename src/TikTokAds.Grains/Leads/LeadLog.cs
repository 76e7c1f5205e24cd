using Microsoft.Extensions.Logging;

namespace TikTokAds.Grains.Leads;

/// <summary>Lead log lines: ids and statuses only, never an answer.</summary>
internal static partial class LeadLog
{
    [LoggerMessage(3401, LogLevel.Information, "Organizer {OrganizerId} received lead {LeadId} by {Source}: {Status} ({Reason})")]
    public static partial void Received(ILogger logger, string organizerId, string leadId, string source, string status, string reason);

    [LoggerMessage(3402, LogLevel.Warning, "Organizer {OrganizerId}: call-back for lead {LeadId} failed (attempt {Attempt}): {Error}")]
    public static partial void CallbackFailed(ILogger logger, string organizerId, string leadId, int attempt, string error);

    [LoggerMessage(3403, LogLevel.Error, "Organizer {OrganizerId}: lead {LeadId} not forwarded after {Attempts} attempts, kept as failed: {Error}")]
    public static partial void GaveUp(ILogger logger, string organizerId, string leadId, int attempts, string error);
}
