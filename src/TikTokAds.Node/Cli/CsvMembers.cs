using TikTokAds.Grains.Events;

namespace TikTokAds.Node.Cli;

/// <summary>
/// A customer CSV (header row; email and/or phone columns) read and hashed on this machine: only
/// SHA-256 values ever leave it. Rows with no valid identifier are dropped and counted.
/// </summary>
internal sealed class CsvMembers
{
    private static readonly string[] EmailHeaders = ["email", "e-mail", "email_address", "mail"];
    private static readonly string[] PhoneHeaders = ["phone", "phone_number", "mobile", "telephone", "tel"];

    public required IReadOnlyList<string> IdSchema { get; init; }
    public required List<string?[]> Rows { get; init; }
    public int Read { get; init; }
    public int Invalid => Read - Rows.Count;

    public static CsvMembers Load(string path, string? callingCode)
    {
        using var reader = new StreamReader(path);
        var header = Split(reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.")).Select(h => h.Trim().ToLowerInvariant()).ToList();
        var email = header.FindIndex(h => EmailHeaders.Contains(h));
        var phone = header.FindIndex(h => PhoneHeaders.Contains(h));
        if (email < 0 && phone < 0)
        {
            throw new InvalidDataException($"{path} has neither an email nor a phone column (header: {string.Join(", ", header)}).");
        }
        var schema = new List<string>();
        if (email >= 0)
        {
            schema.Add("EMAIL_SHA256");
        }
        if (phone >= 0)
        {
            schema.Add("PHONE_SHA256");
        }
        var rows = new List<string?[]>();
        var read = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0)
            {
                continue;
            }
            read++;
            var cells = Split(line);
            string? Cell(int i) => i >= 0 && i < cells.Count ? cells[i] : null;
            var row = new List<string?>();
            if (email >= 0)
            {
                row.Add(PiiNormalizer.Email(Cell(email)));
            }
            if (phone >= 0)
            {
                row.Add(PiiNormalizer.Phone(Cell(phone), callingCode));
            }
            if (row.Any(v => v is not null))
            {
                rows.Add([.. row]);
            }
        }
        return new CsvMembers { IdSchema = schema, Rows = rows, Read = read };
    }

    /// <summary>RFC 4180 fields: commas inside quotes, doubled quotes.</summary>
    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }
}
