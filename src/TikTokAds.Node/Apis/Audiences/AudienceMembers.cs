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

    // Below this many rows one thread hashes them all; above it the rows are split over the cores.
    private const int ParallelFrom = 20_000;

    public static (List<string> Rows, int Valid) Hash(IReadOnlyList<string> schema, IReadOnlyList<IReadOnlyList<string?>?> members)
    {
        var hashed = new string?[members.Count];
        if (members.Count < ParallelFrom)
        {
            HashRange(schema, members, hashed, 0, members.Count);
        }
        else
        {
            var slice = (members.Count + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
            Parallel.For(0, Environment.ProcessorCount, part => HashRange(schema, members, hashed, part * slice, Math.Min(members.Count, (part + 1) * slice)));
        }
        var rows = new List<string>(members.Count);
        foreach (var row in hashed)
        {
            if (row is not null)
            {
                rows.Add(row);
            }
        }
        return (rows, rows.Count);
    }

    private static void HashRange(IReadOnlyList<string> schema, IReadOnlyList<IReadOnlyList<string?>?> members, string?[] hashed, int from, int to)
    {
        var cells = new string[schema.Count];
        for (var i = from; i < to; i++)
        {
            var member = members[i]!;
            var any = false;
            for (var p = 0; p < schema.Count; p++)
            {
                cells[p] = (schema[p] == "EMAIL_SHA256" ? PiiNormalizer.Email(member[p]) : PiiNormalizer.Phone(member[p], null)) ?? "";
                any |= cells[p].Length > 0;
            }
            hashed[i] = !any ? null : cells.Length == 1 ? cells[0] : string.Join(',', cells);
        }
    }
}
