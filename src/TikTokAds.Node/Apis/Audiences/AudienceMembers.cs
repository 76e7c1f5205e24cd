using TikTokAds.Grains.Events;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>
/// Members hashed at the gateway (raw personal data stops here): EMAIL_SHA256 as email, PHONE_SHA256 as
/// E.164; a 64-hex value is already a SHA-256 and passes through. Invalid identifiers are dropped; a row
/// left with none is dropped and counted.
/// </summary>
internal static class AudienceMembers
{
    public static readonly IReadOnlySet<string> Schemas = new HashSet<string>(StringComparer.Ordinal) { "EMAIL_SHA256", "PHONE_SHA256" };

    public static (List<string> Rows, int Valid) Hash(IReadOnlyList<string> schema, IReadOnlyList<IReadOnlyList<string?>?> members)
    {
        var rows = new List<string>(members.Count);
        foreach (var member in members)
        {
            var cells = new string[schema.Count];
            for (var p = 0; p < schema.Count; p++)
            {
                var raw = member![p];
                cells[p] = schema[p] switch
                {
                    "EMAIL_SHA256" => PiiNormalizer.Email(raw),
                    _ => PiiNormalizer.Phone(raw, null),
                } ?? "";
            }
            if (cells.Any(c => c.Length > 0))
            {
                rows.Add(string.Join(',', cells));
            }
        }
        return (rows, rows.Count);
    }
}
