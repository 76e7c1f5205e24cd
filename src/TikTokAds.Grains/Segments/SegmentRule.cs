using TikTokAds.Contracts.Segments;

namespace TikTokAds.Grains.Segments;

/// <summary>
/// Who a definition selects from buyer facts. A buyer is recognised by the hashed email, or by the hashed
/// phone when an event has no email. An event qualifies when its name is listed, its time is within the
/// look-back, and (when content ids are listed) it names one of them. A buyer qualifies with at least
/// MinEvents qualifying events or at least MinValue in total, counting only values in the definition's currency.
/// </summary>
public static class SegmentRule
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string EmailSchema = "EMAIL_SHA256";
    public const string PhoneSchema = "PHONE_SHA256";

    public static SegmentMembers Evaluate(SegmentDefinition definition, IEnumerable<BuyerFact> facts, DateTimeOffset now)
    {
        var since = Since(definition, now);
        var contentIds = definition.ContentIds.ToHashSet(StringComparer.Ordinal);
        var buyers = new Dictionary<string, Buyer>(StringComparer.Ordinal);
        foreach (var fact in facts)
        {
            if (!definition.EventNames.Contains(fact.EventName) || fact.EventTime < since || (contentIds.Count > 0 && !fact.ContentIds.Any(contentIds.Contains)))
            {
                continue;
            }
            var key = fact.EmailSha256 ?? fact.PhoneSha256!;
            if (!buyers.TryGetValue(key, out var buyer))
            {
                buyers[key] = buyer = new Buyer(fact.EmailSha256);
            }
            buyer.Events++;
            if (fact.PhoneSha256 is { } phone)
            {
                buyer.Phones.Add(phone);
            }
            if (fact.Value is { } value && definition.Currency is { } currency && string.Equals(fact.Currency, currency, StringComparison.OrdinalIgnoreCase))
            {
                buyer.Value += value;
            }
        }
        var members = new HashSet<string>(StringComparer.Ordinal);
        int total = 0, valid = 0;
        foreach (var buyer in buyers.Values.Where(b => Qualifies(definition, b.Events, b.Value)))
        {
            total++;
            var before = members.Count;
            if (definition.Identifiers.Contains(Email) && buyer.Email is { } email)
            {
                members.Add($"{EmailSchema}:{email}");
            }
            if (definition.Identifiers.Contains(Phone))
            {
                members.UnionWith(buyer.Phones.Select(p => $"{PhoneSchema}:{p}"));
            }
            valid += members.Count > before ? 1 : 0;
        }
        return new SegmentMembers(total, valid, members);
    }

    /// <summary>At least MinEvents events, or at least MinValue in total; with neither set, one event is enough.</summary>
    public static bool Qualifies(SegmentDefinition definition, int events, decimal value)
        => (definition.MinEvents is null && definition.MinValue is null && events >= 1)
            || (definition.MinEvents is { } minEvents && events >= minEvents)
            || (definition.MinValue is { } minValue && value >= minValue);

    public static DateTimeOffset Since(SegmentDefinition definition, DateTimeOffset now) => now - TimeSpan.FromDays(definition.LookbackDays);

    private sealed class Buyer(string? email)
    {
        public string? Email { get; } = email;
        public HashSet<string> Phones { get; } = new(StringComparer.Ordinal);
        public int Events { get; set; }
        public decimal Value { get; set; }
    }
}

/// <summary>A segment's result: qualifying buyers, those with a usable identifier, and the identifiers as "SCHEMA:hash".</summary>
public sealed record SegmentMembers(int Total, int Valid, IReadOnlySet<string> Members)
{
    public SegmentSize Size => new(Total, Valid, Members.Count);
}
