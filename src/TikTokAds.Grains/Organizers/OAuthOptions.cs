using System.ComponentModel.DataAnnotations;

namespace TikTokAds.Grains.Organizers;

/// <summary>The OAuth connection with TikTok (section "OAuth"). App id and secret are TikTok:AppId and TikTok:AppSecret.</summary>
public sealed class OAuthOptions
{
    public const string SectionName = "OAuth";
    public const string ProductionAuthorizeUrl = "https://business-api.tiktok.com/portal/auth";

    /// <summary>TikTok's consent page. With --sandbox it is the sandbox's own.</summary>
    [Required]
    [Url]
    public string AuthorizeUrl { get; set; } = ProductionAuthorizeUrl;

    /// <summary>
    /// The redirect URL registered with the TikTok app (up to 10 are allowed there). Unset: this node's
    /// own /api/integrations/tiktok-ads/oauth/callback, as the request reached it.
    /// </summary>
    [Url]
    public string? RedirectUri { get; set; }

    /// <summary>Where the browser goes after the callback (with status and authorization_id); unset: JSON.</summary>
    [Url]
    public string? CompletionRedirectUrl { get; set; }

    /// <summary>How long a consent's state may wait for its callback.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often ad accounts re-sync on their own (they also sync on demand).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan AdAccountSyncInterval { get; set; } = TimeSpan.FromDays(1);
}
