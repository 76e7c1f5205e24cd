using TikTokAds.Contracts.Leads;

namespace TikTokAds.Grains.Leads;

/// <summary>
/// A stored lead. The answers are AES-GCM ciphertext (<see cref="ProtectedFields"/>), kept only until the
/// lead is forwarded (or its retention ends); the phone and email remain only as SHA-256.
/// </summary>
public sealed record LeadRecord(
    string OrganizerId,
    string LeadId,
    string AdvertiserId,
    string? PageId,
    string? FormName,
    string? AdId,
    string? AdName,
    string? CampaignId,
    string? CampaignName,
    string? AdgroupId,
    string? AdgroupName,
    string Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset ReceivedAt,
    string Status,
    string? Reason,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? ForwardedAt,
    string? LastError,
    string? ProtectedFields,
    IReadOnlyList<string> FieldNames,
    string? PhoneSha256,
    string? EmailSha256)
{
    public LeadView ToView() => new(
        LeadId, AdvertiserId, PageId, FormName, AdId, AdName, CampaignName, Source, Status, Reason, Attempts,
        CreatedAt, ReceivedAt, NextAttemptAt, ForwardedAt, LastError, FieldNames, PhoneSha256, EmailSha256);
}

/// <summary>Per form (page): how many leads, and how many of them were forwarded, wait, were held back, or failed.</summary>
public sealed record LeadFormCount(string PageId, string? FormName, long Leads, long Forwarded, long Pending, long NotForwarded, long Failed);
