namespace TikTokAds.Grains.Audiences;

/// <summary>
/// A chunk of a run's rows as the store holds them: packed (<see cref="PackedRows"/>, <see cref="Cells"/> above 0)
/// or as "cell,cell" text. A packed chunk goes to TikTok and into the member log without becoming strings.
/// </summary>
public sealed class RunRows
{
    public static readonly RunRows None = new(default, 0, []);

    private RunRows(ReadOnlyMemory<byte> packed, int cells, IReadOnlyList<string> text)
    {
        Packed = packed;
        Cells = cells;
        Text = text;
    }

    /// <summary>Packed rows; empty for text rows.</summary>
    public ReadOnlyMemory<byte> Packed { get; }

    /// <summary>Cells per packed row; 0 for text rows.</summary>
    public int Cells { get; }

    /// <summary>Text rows; empty for packed rows.</summary>
    public IReadOnlyList<string> Text { get; }

    public bool IsPacked => Cells > 0;

    public int Count => IsPacked ? Packed.Length / PackedRows.Width(Cells) : Text.Count;

    public static RunRows OfText(IReadOnlyList<string> rows) => new(default, 0, rows);

    public static RunRows OfPacked(ReadOnlyMemory<byte> packed, int cells)
    {
        PackedRows.CheckWhole(packed.Length, cells);
        return new(packed, cells, []);
    }

    /// <summary>Rows <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/>, or as many of them as there are.</summary>
    public RunRows Slice(int offset, int count)
    {
        if (!IsPacked)
        {
            return OfText([.. Text.Skip(offset).Take(count)]);
        }
        var width = PackedRows.Width(Cells);
        var start = Math.Min((long)offset * width, Packed.Length);
        var length = Math.Min((long)count * width, Packed.Length - start);
        return new(Packed.Slice((int)start, (int)length), Cells, []);
    }

    /// <summary>The rows as "cell,cell" text, unpacked when they are packed.</summary>
    public IReadOnlyList<string> AsText() => IsPacked ? PackedRows.Unpack(Packed.Span, Cells) : Text;
}
