using System.Buffers;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Audiences;

/// <summary>
/// A run's rows as bytes: each row a presence mask (bit p: cell p is filled) then one 32-byte SHA-256 per
/// id_schema entry, zeros where missing. Fixed-width rows let PostgreSQL hand out any chunk by offset
/// without reading the rest, and a run of 100,000 members is 3.3 MB instead of 100,000 hex strings.
/// Only rows whose every cell is empty or 64 hex digits pack; anything else keeps the text form. The rows are the
/// digest rows <see cref="SegmentBatch.FromDigests"/> writes into a TikTok request, so a chunk is sent as it is stored.
/// </summary>
public static class PackedRows
{
    /// <summary>The bytes of one SHA-256 in a row.</summary>
    public const int Digest = 32;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
    public const int MaxCells = SegmentBatch.MaxCells;

    public static int Width(int cells) => SegmentBatch.DigestRowWidth(cells);

    /// <summary>The packed rows, or null when a row does not fit the form (then the rows are stored as text).</summary>
    public static byte[]? TryPack(IReadOnlyList<string> rows, int cells)
    {
        if (cells is < 1 or > MaxCells)
        {
            return null;
        }
        var width = Width(cells);
        var packed = new byte[rows.Count * width];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r].AsSpan();
            var target = packed.AsSpan(r * width, width);
            byte mask = 0;
            for (var p = 0; p < cells; p++)
            {
                var comma = p < cells - 1 ? row.IndexOf(',') : row.Length;
                if (comma < 0)
                {
                    return null;
                }
                var cell = row[..comma];
                row = comma < row.Length ? row[(comma + 1)..] : [];
                if (cell.IsEmpty)
                {
                    continue;
                }
                if (cell.Length != 2 * Digest || !IsLowerHex(cell)
                    || Convert.FromHexString(cell, target.Slice(1 + (p * Digest), Digest), out _, out _) != OperationStatus.Done)
                {
                    return null;
                }
                mask |= (byte)(1 << p);
            }
            if (!row.IsEmpty)
            {
                return null;
            }
            target[0] = mask;
        }
        return packed;
    }

    /// <summary>Rows packed elsewhere (the gateway), checked to be whole rows of this width; null stays null.</summary>
    public static byte[]? Check(byte[]? packed, int cells)
    {
        if (packed is not null)
        {
            CheckWhole(packed.Length, cells);
        }
        return packed;
    }

    /// <summary>Throws unless <paramref name="length"/> bytes are whole rows of <paramref name="cells"/> cells.</summary>
    public static void CheckWhole(int length, int cells)
    {
        if (!SegmentBatch.AreDigestRows(length, cells))
        {
            throw new ArgumentException($"Packed rows of {cells} cell(s) are {Width(Math.Max(cells, 1))} bytes each, and 1 to {MaxCells} cells.", "packed");
        }
    }

    /// <summary>The 32 bytes of a packed row that hold cell <paramref name="position"/>'s SHA-256, to hash straight into.</summary>
    public static Span<byte> CellDigest(Span<byte> row, int position) => row.Slice(CellOffset(position), Digest);

    /// <summary>Where cell <paramref name="position"/>'s digest starts in its row.</summary>
    public static int CellOffset(int position) => 1 + (position * Digest);

    /// <summary>Marks cell <paramref name="position"/> of a packed row present (its digest written).</summary>
    public static void MarkPresent(Span<byte> row, int position) => row[0] |= (byte)(1 << position);

    /// <summary>Packed rows back in their text form: "cell,cell" with "" for a missing cell.</summary>
    public static List<string> Unpack(ReadOnlySpan<byte> packed, int cells)
    {
        var width = Width(cells);
        var rows = new List<string>(packed.Length / width);
        Span<char> text = stackalloc char[(cells * ((2 * Digest) + 1)) - 1];
        for (var offset = 0; offset + width <= packed.Length; offset += width)
        {
            var row = packed.Slice(offset, width);
            var length = 0;
            for (var p = 0; p < cells; p++)
            {
                if (p > 0)
                {
                    text[length++] = ',';
                }
                if ((row[0] & (1 << p)) != 0)
                {
                    Convert.TryToHexStringLower(row.Slice(1 + (p * Digest), Digest), text[length..], out var written);
                    length += written;
                }
            }
            rows.Add(new string(text[..length]));
        }
        return rows;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> cell) => !cell.ContainsAnyExcept(LowerHex);
}
