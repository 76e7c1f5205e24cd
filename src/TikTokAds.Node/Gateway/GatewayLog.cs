namespace TikTokAds.Node.Gateway;

/// <summary>Gateway log messages. Event ids 1100–1999. Never a key, a token or raw PII.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1101, LogLevel.Error, "{Method} {Path} failed with {Status}")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path, int status);

    [LoggerMessage(1102, LogLevel.Information, "Organizer {OrganizerId} created")]
    public static partial void OrganizerCreated(ILogger logger, string organizerId);

    [LoggerMessage(1103, LogLevel.Information, "API key {KeyId} issued to organizer {OrganizerId}")]
    public static partial void KeyIssued(ILogger logger, string keyId, string organizerId);

    [LoggerMessage(1104, LogLevel.Information, "API key {KeyId} of organizer {OrganizerId} revoked")]
    public static partial void KeyRevoked(ILogger logger, string keyId, string organizerId);

    [LoggerMessage(1105, LogLevel.Warning, "Organizer {OrganizerId} rate limited on {Path}")]
    public static partial void RateLimited(ILogger logger, string organizerId, string path);

    [LoggerMessage(1106, LogLevel.Warning, "Lead webhook rejected: {Problem}")]
    public static partial void WebhookRejected(ILogger logger, string problem);

    [LoggerMessage(1107, LogLevel.Warning, "Lead {LeadId} of advertiser {AdvertiserId} (page {PageId}) not stored: no organizer takes it ({Reason})")]
    public static partial void LeadUnrouted(ILogger logger, string leadId, string advertiserId, string pageId, string reason);

    [LoggerMessage(1150, LogLevel.Warning, "Lead webhooks are refused (503 webhook_not_configured): Leads:WebhookSecret is not set. Set it to the TikTok app's secret, or Leads:AllowUnsignedWebhooks=true to accept unsigned deliveries.")]
    public static partial void WebhookNotConfigured(ILogger logger);

    [LoggerMessage(1151, LogLevel.Critical, "Lead webhooks are accepted UNSIGNED (Leads:AllowUnsignedWebhooks=true, no Leads:WebhookSecret): anyone who can reach this node can store leads and have them forwarded to organizers' receivers.")]
    public static partial void WebhookUnsigned(ILogger logger);

    [LoggerMessage(1152, LogLevel.Warning, "Call-backs may reach PRIVATE addresses (Leads:AllowPrivateCallbackAddresses=true): organizers' call-back URLs may be http and point at loopback or this node's own network. For tests, demos (--sandbox) and in-house receivers only.")]
    public static partial void PrivateCallbacksAllowed(ILogger logger);
}
