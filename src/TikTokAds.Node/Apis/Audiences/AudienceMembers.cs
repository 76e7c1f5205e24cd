using TikTokAds.Grains.Audiences;
using TikTokAds.Grains.Events;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>
/// Members hashed at the gateway (raw personal data stops here): EMAIL_SHA256 as email, PHONE_SHA256 as
/// E.164; a 64-hex value is already a SHA-256 and passes through. Invalid identifiers are dropped; a row
/// left with none is dropped and counted. The digests go straight into the run's packed form (PackedRows),
/// with no text row per member and no hex string per cell.
/// </summary>
internal static class AudienceMembers
{
    public const string Email = "EMAIL_SHA256";
    public static readonly IReadOnlySet<string> Schemas = new HashSet<string>(StringComparer.Ordinal) { Email, "PHONE_SHA256" };

    /// <summary>Rows hashed together: a block hashed ahead while the body is read, or one core's share after.</summary>
    public const int Block = 4096;

    /// <summary>
    /// Rows past this many are not hashed ahead (the default <see cref="AudienceOptions.MaxMembersPerSync"/>), nor is
    /// anything after a row wider than any id_schema (<see cref="MemberRows"/>): a body that will be refused costs at
    /// most the SHA-256s of the largest body that is taken. A node allowing more rows hashes the rest after the read.
    /// </summary>
    public const int HashAheadUpTo = 100_000;

    // Below this many rows one thread hashes them all; above it blocks of rows go to whichever core is free,
    // so a core busy with something else does not hold back a fixed share.
    private const int ParallelFrom = 20_000;

    // A guess per cell: what was tried, whether it was valid, then its SHA-256.
    private const int GuessWidth = 1 + PackedRows.Digest;
    private const byte TriedEmail = 1;
    private const byte TriedPhone = 2;
    private const byte Valid = 4;

    /// <summary>
    /// A block's cells hashed before id_schema is known (the body's members may be read first): a cell with an '@'
    /// as an email, any other as a phone. Where a cell's column turns out to be of the other kind, the guess is not
    /// used and the cell is hashed again by its column's rule, so a guess saves work and never changes an answer.
    /// Not trying both kinds spares a second SHA-256 that is almost never needed.
    /// </summary>
    public static byte[] Guess(string?[] cells)
    {
        var guesses = new byte[cells.Length * GuessWidth];
        // Disposed (flushed) as the method returns: every digest is in place before a caller reads the guesses.
        using var batch = new Sha256Batch();
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i] is not { } raw)
            {
                continue;
            }
            var at = i * GuessWidth;
            var email = raw.Contains('@', StringComparison.Ordinal);
            var valid = email ? PiiNormalizer.TryEmailSha256(raw, batch, guesses, at + 1) : PiiNormalizer.TryPhoneSha256(raw, null, batch, guesses, at + 1);
            guesses[at] = (byte)((email ? TriedEmail : TriedPhone) | (valid ? Valid : 0));
        }
        return guesses;
    }

    /// <summary>The valid rows packed in their order, and how many they are.</summary>
    public static async Task<(byte[] Packed, int Valid)> HashAsync(IReadOnlyList<string> schema, MemberRows members)
    {
        var ahead = await members.HashedAheadAsync();
        var width = PackedRows.Width(schema.Count);
        var packed = new byte[members.Count * width];
        var blocks = (members.Count + Block - 1) / Block;
        void FillBlock(int block) => Fill(schema, members, block, block < ahead.Length ? ahead[block] : null, packed);
        if (members.Count < ParallelFrom)
        {
            for (var block = 0; block < blocks; block++)
            {
                FillBlock(block);
            }
        }
        else
        {
            Parallel.For(0, blocks, FillBlock);
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

    /// <summary>One block's rows into their packed places, from the block's guesses where they apply.</summary>
    private static void Fill(IReadOnlyList<string> schema, MemberRows members, int block, byte[]? guesses, byte[] packed)
    {
        var width = PackedRows.Width(schema.Count);
        var from = block * Block;
        var to = Math.Min(members.Count, from + Block);
        var blockFirstCell = members.FirstCell(from);
        // Disposed (flushed) as the block ends: every digest is in place before HashAsync closes the gaps.
        using var batch = new Sha256Batch();
        for (var row = from; row < to; row++)
        {
            // Validation has refused any other width before hashing; a row of another width carries no identifier.
            if (members.Width(row) != schema.Count)
            {
                continue;
            }
            var target = packed.AsSpan(row * width, width);
            var firstCellInBlock = members.FirstCell(row) - blockFirstCell;
            for (var p = 0; p < schema.Count; p++)
            {
                if (members.Cell(row, p) is not { } raw)
                {
                    continue;
                }
                var email = schema[p] == Email;
                var guess = guesses is null ? default : guesses.AsSpan((firstCellInBlock + p) * GuessWidth, GuessWidth);
                bool valid;
                if (!guess.IsEmpty && (guess[0] & (email ? TriedEmail : TriedPhone)) != 0)
                {
                    valid = (guess[0] & Valid) != 0;
                    if (valid)
                    {
                        guess[1..].CopyTo(PackedRows.CellDigest(target, p));
                    }
                }
                else
                {
                    // No calling code, as in Guess: a guess stands for this digest only while both use the same rule.
                    // The digest is written when the batch is flushed, before this block is done.
                    var digestAt = (row * width) + PackedRows.CellOffset(p);
                    valid = email ? PiiNormalizer.TryEmailSha256(raw, batch, packed, digestAt) : PiiNormalizer.TryPhoneSha256(raw, null, batch, packed, digestAt);
                }
                if (valid)
                {
                    PackedRows.MarkPresent(target, p);
                }
            }
        }
    }
}
