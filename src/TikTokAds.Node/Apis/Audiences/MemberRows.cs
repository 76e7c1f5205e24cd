using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>
/// A sync body's members as read: rows of cells aligned to id_schema, raw or already SHA-256. All cells sit
/// in one flat list, so 100,000 rows cost 100,000 strings and no list per row. A null row keeps its place,
/// for validation to point at.
/// Read from a request, the rows are hashed ahead: each full block of <see cref="AudienceMembers.Block"/> rows goes to
/// the thread pool as soon as it is read (<see cref="AudienceMembers.Guess"/>), so the next block's parse and this
/// block's SHA-256s run on different cores.
/// </summary>
[JsonConverter(typeof(MemberRowsConverter))]
public sealed class MemberRows
{
    private const int NullRow = -1;
    private readonly List<string?> _cells = [];
    private readonly List<int> _starts = [];
    private readonly List<int> _widths = [];
    private readonly List<Task<byte[]>>? _ahead;
    private bool _aheadStopped;

    internal MemberRows(bool hashAhead) => _ahead = hashAhead ? [] : null;

    public int Count => _widths.Count;

    public static MemberRows Of(IEnumerable<IReadOnlyList<string?>?> rows, bool hashAhead = false)
    {
        var members = new MemberRows(hashAhead);
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

    /// <summary>The index of the row's first cell among all cells.</summary>
    internal int FirstCell(int row) => _starts[row];

    /// <summary>Each full block's guesses (<see cref="AudienceMembers.Guess"/>) in order, once all are done; none unless hashed ahead.</summary>
    internal async Task<byte[][]> HashedAheadAsync() => _ahead is { Count: > 0 } ahead ? await Task.WhenAll(ahead) : [];

    internal void AddNull()
    {
        _starts.Add(_cells.Count);
        _widths.Add(NullRow);
        RowDone();
    }

    internal void StartRow() => _starts.Add(_cells.Count);

    internal void AddCell(string? cell) => _cells.Add(cell);

    internal void EndRow()
    {
        _widths.Add(_cells.Count - _starts[^1]);
        // A row wider than any id_schema can be fails validation: nothing more of such a body is hashed ahead, so a
        // body that will be refused costs at most what the largest body that is taken does.
        _aheadStopped |= _widths[^1] > AudienceMembers.Schemas.Count;
        RowDone();
    }

    private void RowDone()
    {
        if (_ahead is null || _aheadStopped || Count % AudienceMembers.Block != 0 || Count > AudienceMembers.HashAheadUpTo)
        {
            return;
        }
        // The block's cells copied out: the list they sit in grows (and moves) while the next block is read.
        var block = CollectionsMarshal.AsSpan(_cells)[_starts[Count - AudienceMembers.Block]..].ToArray();
        _ahead.Add(Task.Run(() => AudienceMembers.Guess(block)));
    }
}
