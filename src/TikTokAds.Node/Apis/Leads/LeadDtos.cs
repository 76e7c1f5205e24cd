namespace TikTokAds.Node.Apis.Leads;

/// <summary>signing_secret: omitted keeps the current one; "" removes it.</summary>
public sealed record LeadCallbackBody(string? CallbackUrl, string? SigningSecret);

/// <summary>One ad's widget settings (seed 001): account, form name, UTM tags, text template.</summary>
public sealed record LeadAdBody(string? AdvertiserId, string? FormName, Dictionary<string, string>? Utm, string? TextTemplate, bool? Enabled);

public sealed record LeadFormsSyncBody(string? AdvertiserId);

public sealed record LeadSubscribeBody(string? AdvertiserId, string? PageId);

public sealed record LeadPullBody(string? AdvertiserId, string? PageId, string? AdId);

public sealed record LeadRetryResponse(string LeadId, string Status, string? Reason, string Message);

public sealed record LeadWebhookResponse(string Status, bool Duplicate, string Message);
