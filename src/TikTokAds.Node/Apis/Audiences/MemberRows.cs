using System.Text.Json.Serialization;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>
/// A sync body's members as read: rows of cells aligned to id_schema, raw or already SHA-256. All cells sit
/// in one flat list, so 100,000 rows cost 100,000 strings and no list per row. A null row keeps its place,
/// for validation to point at.
/// </summary>
[JsonConverter(typeof(MemberRowsConverter))]
public sealed class MemberRows
{
    private const int NullRow = -1;
    private readonly List<string?> _cells = [];
    private readonly List<int> _starts = [];
    private readonly List<int> _widths = [];

    public int Count => _widths.Count;

    public static MemberRows Of(IEnumerable<IReadOnlyList<string?>?> rows)
    {
        var members = new MemberRows();
        foreach (var row in rows)
        {
            if (row is null)
            {
                members.AddNull();
                continue;
            }
            members.StartRow();
            foreach (var cell in row)
            {
                members.AddCell(cell);
            }
            members.EndRow();
        }
        return members;
    }

    /// <summary>The row's number of cells, or -1 for a null row.</summary>
    public int Width(int row) => _widths[row];

    public string? Cell(int row, int position) => _cells[_starts[row] + position];

    internal void AddNull()
    {
        _starts.Add(_cells.Count);
        _widths.Add(NullRow);
    }

    internal void StartRow() => _starts.Add(_cells.Count);

    internal void AddCell(string? cell) => _cells.Add(cell);

    internal void EndRow() => _widths.Add(_cells.Count - _starts[^1]);
}
