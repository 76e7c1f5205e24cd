using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TikTokAds.Grains.Leads;

/// <summary>What the organizer's call-back receiver gets: the lead, its answers, the ad's UTM tags and rendered text, signed.</summary>
public static partial class LeadCallback
{
    public const string SignatureHeader = "X-TikTokAds-Signature";

    public static JsonObject Body(LeadRecord lead, LeadAdRecord ad, IReadOnlyDictionary<string, string> answers)
    {
        var values = new Dictionary<string, string>(answers, StringComparer.OrdinalIgnoreCase)
        {
            ["lead_id"] = lead.LeadId,
            ["ad_id"] = lead.AdId ?? "",
            ["ad_name"] = lead.AdName ?? "",
            ["form_name"] = ad.FormName ?? lead.FormName ?? "",
            ["campaign_name"] = lead.CampaignName ?? "",
        };
        var phone = answers.FirstOrDefault(a => a.Key.Contains("phone", StringComparison.OrdinalIgnoreCase)).Value;
        return new JsonObject
        {
            ["lead_id"] = lead.LeadId,
            ["source"] = lead.Source,
            ["created_at"] = lead.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["received_at"] = lead.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
            ["advertiser_id"] = lead.AdvertiserId,
            ["page_id"] = lead.PageId,
            ["form_name"] = ad.FormName ?? lead.FormName,
            ["ad_id"] = lead.AdId,
            ["ad_name"] = lead.AdName,
            ["campaign_id"] = lead.CampaignId,
            ["campaign_name"] = lead.CampaignName,
            ["adgroup_id"] = lead.AdgroupId,
            ["adgroup_name"] = lead.AdgroupName,
            ["phone"] = phone,
            ["fields"] = new JsonObject([.. answers.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]),
            ["utm"] = new JsonObject([.. ad.Utm.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value))]),
            ["text"] = ad.TextTemplate is null ? null : Render(ad.TextTemplate, values),
        };
    }

    /// <summary>Each {name} becomes the value of that name (any case); a name with no value becomes nothing.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
        => Placeholder().Replace(template, m => values.GetValueOrDefault(m.Groups[1].Value) ?? "");

    /// <summary>t={unix},v1={hex HMAC-SHA256 of "{t}.{body}"}: the receiver recomputes it with the shared secret.</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")))}";
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
