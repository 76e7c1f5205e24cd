namespace TikTokAds.Node.Tests.Fuzz;

/// <summary>
/// Real ids on the node under fuzz, so path parameters reach the handlers' logic (not only their 404s), and a
/// second tenant's, so a request of one organizer can aim at the other's resources.
/// </summary>
internal sealed record FuzzIds(
    string AdminKey,
    string OrganizerId,
    string ApiKey,
    string KeyId,
    string SpareKeyId,
    string PixelId,
    string AdvertiserId,
    string AudienceId,
    string EventId,
    string? LeadId,
    string LeadAdvertiserId,
    string? AuthorizationId,
    string OtherOrganizerId,
    string OtherApiKey,
    string OtherKeyId,
    string OtherAudienceId,
    string OtherEventId);
