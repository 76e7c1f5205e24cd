namespace TikTokAds.Grains.Leads;

/// <summary>What the lead webhook does with a delivery, from <see cref="LeadOptions"/>.</summary>
public enum LeadWebhookSigning
{
    /// <summary>No secret and no opt-out: every delivery is refused, so nobody can plant leads.</summary>
    NotConfigured,

    /// <summary>Only deliveries signed with Leads:WebhookSecret are taken.</summary>
    Signed,

    /// <summary>The operator opted out (Leads:AllowUnsignedWebhooks): deliveries are taken unchecked.</summary>
    Unsigned,
}
