using System.Text;

namespace TikTokAds.Grains.Leads;

/// <summary>Reads the CSV of a lead-task download (RFC 4180: quoted cells may hold commas, quotes and line breaks).</summary>
public static class LeadCsv
{
    /// <summary>Each data row as header → cell.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Read(string text)
    {
        var rows = Rows(text.TrimStart('\uFEFF')).ToList();
        if (rows.Count == 0)
        {
            return [];
        }
        var header = rows[0].Select(h => h.Trim()).ToList();
        return [.. rows.Skip(1).Where(r => r.Any(c => c.Length > 0)).Select(r => header
            .Select((h, i) => (h, Value: i < r.Count ? r[i] : ""))
            .Where(c => c.h.Length > 0)
            .GroupBy(c => c.h, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal))];
    }

    private static IEnumerable<List<string>> Rows(string text)
    {
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    cell.Clear();
                    yield return row;
                    row = [];
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            yield return row;
        }
    }
}
