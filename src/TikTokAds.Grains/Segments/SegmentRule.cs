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

    public static SegmentMembers Evaluate(SegmentDefinition definition, IEnumerable<BuyerFact> facts, DateTimeOffset now) => Select(definition, Totals(definition, facts, Since(definition, now)));

    /// <summary>Per buyer, the qualifying events and their value in the definition's currency.</summary>
    public static IReadOnlyList<BuyerTotal> Totals(SegmentDefinition definition, IEnumerable<BuyerFact> facts, DateTimeOffset since)
    {
        var tally = new BuyerTally(definition, since);
        foreach (var fact in facts)
        {
            tally.Add(fact);
        }
        return tally.Totals();
    }

    /// <summary>The buyers who qualify, and the identifiers of theirs the definition uses.</summary>
    public static SegmentMembers Select(SegmentDefinition definition, IEnumerable<BuyerTotal> buyers)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        int total = 0, valid = 0;
        foreach (var buyer in buyers.Where(b => Qualifies(definition, b.Events, b.Value)))
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
}

/// <summary>One buyer over the qualifying events: the hashed email (null when known by phone only), the hashed phones, how many events, and their value.</summary>
public sealed record BuyerTotal(string? Email, IReadOnlyCollection<string> Phones, int Events, decimal Value);

/// <summary>A segment's result: qualifying buyers, those with a usable identifier, and the identifiers as "SCHEMA:hash".</summary>
public sealed record SegmentMembers(int Total, int Valid, IReadOnlySet<string> Members)
{
    public SegmentSize Size => new(Total, Valid, Members.Count);
}

/// <summary>
/// <see cref="SegmentRule.Totals"/> one fact at a time, holding one entry a buyer and never the facts: the PostgreSQL
/// store feeds it as an organizer's packs stream by.
/// </summary>
public sealed class BuyerTally(SegmentDefinition definition, DateTimeOffset since)
{
    private readonly HashSet<string> _contentIds = definition.ContentIds.ToHashSet(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Email, HashSet<string> Phones, int Events, decimal Value)> _buyers = new(StringComparer.Ordinal);

    /// <summary>Counts the fact for its buyer when it qualifies.</summary>
    public void Add(BuyerFact fact)
    {
        if (!definition.EventNames.Contains(fact.EventName) || fact.EventTime < since || (_contentIds.Count > 0 && !fact.ContentIds.Any(_contentIds.Contains)))
        {
            return;
        }
        var key = fact.EmailSha256 ?? fact.PhoneSha256!;
        var (email, phones, events, value) = _buyers.TryGetValue(key, out var buyer) ? buyer : (fact.EmailSha256, new HashSet<string>(StringComparer.Ordinal), 0, 0m);
        if (fact.PhoneSha256 is { } phone)
        {
            phones.Add(phone);
        }
        var counted = definition.Currency is { } currency && string.Equals(fact.Currency, currency, StringComparison.OrdinalIgnoreCase) ? fact.Value ?? 0m : 0m;
        _buyers[key] = (email, phones, events + 1, value + counted);
    }

    /// <summary>Each buyer's qualifying events and value, in the order the buyers were first seen.</summary>
    public IReadOnlyList<BuyerTotal> Totals() => [.. _buyers.Values.Select(b => new BuyerTotal(b.Email, b.Phones, b.Events, b.Value))];
}
