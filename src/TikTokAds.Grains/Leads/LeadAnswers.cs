using System.Text.Json.Nodes;
using TikTokAds.Contracts.Leads;
using TikTokAds.Grains.Events;
using TikTokAds.Grains.Security;

namespace TikTokAds.Grains.Leads;

/// <summary>A lead's answers: encrypted for storage, with the phone and email kept only as SHA-256.</summary>
public static class LeadAnswers
{
    public static string Protect(IReadOnlyDictionary<string, string> answers, string organizerId, TokenProtector protector)
        => protector.Protect(new JsonObject([.. answers.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]).ToJsonString(), organizerId);

    public static Dictionary<string, string> Unprotect(string protectedAnswers, string organizerId, TokenProtector protector)
        => (JsonNode.Parse(protector.Unprotect(protectedAnswers, organizerId)) as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);

    /// <summary>The first answer whose field name mentions phone (or email), hashed by the events pipeline's rules.</summary>
    public static (string? Phone, string? Email) Hashes(IReadOnlyDictionary<string, string> answers)
    {
        var phone = answers.Where(a => a.Key.Contains("phone", StringComparison.OrdinalIgnoreCase)).Select(a => PiiNormalizer.Phone(a.Value, null)).FirstOrDefault(h => h is not null);
        var email = answers.Where(a => a.Key.Contains("email", StringComparison.OrdinalIgnoreCase)).Select(a => PiiNormalizer.Email(a.Value)).FirstOrDefault(h => h is not null);
        return (phone, email);
    }

    public static IncomingLead Incoming(
        string organizerId, TokenProtector protector, string leadId, string advertiserId, string? pageId, string? adId, string? adName,
        string? campaignId, string? campaignName, string? adgroupId, string? adgroupName, DateTimeOffset createdAt, string source,
        IReadOnlyDictionary<string, string> answers)
    {
        var (phone, email) = Hashes(answers);
        return new IncomingLead(leadId, advertiserId, pageId, adId, adName, campaignId, campaignName, adgroupId, adgroupName, createdAt, source,
            Protect(answers, organizerId, protector), [.. answers.Keys.Order(StringComparer.Ordinal)], phone, email);
    }
}
