using TikTokAds.Grains.Audiences;
using TikTokAds.Grains.Events;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>
/// Members hashed at the gateway (raw personal data stops here): EMAIL_SHA256 as email, PHONE_SHA256 as
/// E.164; a 64-hex value is already a SHA-256 and passes through. Invalid identifiers are dropped; a row
/// left with none is dropped and counted. The hashes go straight into the run's packed form (PackedRows),
/// with no text row per member.
/// </summary>
internal static class AudienceMembers
{
    public const string Email = "EMAIL_SHA256";
    public static readonly IReadOnlySet<string> Schemas = new HashSet<string>(StringComparer.Ordinal) { Email, "PHONE_SHA256" };

    // Below this many rows one thread hashes them all; above it blocks of rows go to whichever core is free,
    // so a core busy with something else does not hold back a fixed share.
    private const int ParallelFrom = 20_000;
    private const int Block = 4096;

    /// <summary>The valid rows packed in their order, and how many they are.</summary>
    public static (byte[] Packed, int Valid) Hash(IReadOnlyList<string> schema, MemberRows members)
    {
        var width = PackedRows.Width(schema.Count);
        var packed = new byte[members.Count * width];
        if (members.Count < ParallelFrom)
        {
            HashRange(schema, members, packed, 0, members.Count);
        }
        else
        {
            Parallel.For(0, (members.Count + Block - 1) / Block, block => HashRange(schema, members, packed, block * Block, Math.Min(members.Count, (block + 1) * Block)));
        }
        // Rows left with no identifier have an empty mask: close the gaps they leave, keeping the order.
        var valid = 0;
        for (var row = 0; row < members.Count; row++)
        {
            if (packed[row * width] != 0)
            {
                if (valid != row)
                {
                    packed.AsSpan(row * width, width).CopyTo(packed.AsSpan(valid * width));
                }
                valid++;
            }
        }
        return (valid == members.Count ? packed : packed[..(valid * width)], valid);
    }

    private static void HashRange(IReadOnlyList<string> schema, MemberRows members, byte[] packed, int from, int to)
    {
        var width = PackedRows.Width(schema.Count);
        for (var row = from; row < to; row++)
        {
            var target = packed.AsSpan(row * width, width);
            for (var p = 0; p < schema.Count; p++)
            {
                var raw = members.Cell(row, p);
                PackedRows.SetCell(target, p, schema[p] == Email ? PiiNormalizer.Email(raw) : PiiNormalizer.Phone(raw, null));
            }
        }
    }
}
