using System.Text;

namespace HierReason.Core.Taxonomies;

/// <summary>
/// A CSV file with a header row, read as RFC 4180 (and pandas' <c>to_csv</c>) writes it: commas, line breaks and doubled
/// quotes inside quoted fields. Rows are numbered from 1 for the header, with the line each starts on, so that errors can
/// name both.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string file, IReadOnlyList<string> header, IReadOnlyList<CsvRow> rows)
    {
        File = file;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++) _columns.TryAdd(header[i].Trim(), i);
    }

    public string File { get; }

    /// <summary>The data rows (the header excluded).</summary>
    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>The index of <paramref name="column"/>; a missing one is an error naming the file and the header.</summary>
    public int Column(string column) => _columns.TryGetValue(column, out var i) ? i
        : throw new HierReasonException($"{File}: row 1 (the header): expected a column '{column}'; found {string.Join(", ", _columns.Keys.Select(k => $"'{k}'"))}");

    /// <summary>The field of <paramref name="row"/> in <paramref name="column"/>; a short row is an error naming the row.</summary>
    public string Field(CsvRow row, int column) => column < row.Fields.Count ? row.Fields[column]
        : throw new HierReasonException($"{File}: {row.Where}: expected at least {column + 1} fields; found {row.Fields.Count}");

    public static CsvTable Parse(string text, string file)
    {
        var records = Records(text, file);
        if (records.Count == 0) throw new HierReasonException($"{file}: expected a header row; found an empty file");
        var rows = records.Skip(1).Select((r, i) => new CsvRow(i + 2, r.Line, r.Fields)).Where(r => r.Fields is not [""]).ToArray();
        return new CsvTable(file, records[0].Fields, rows);
    }

    private static List<(int Line, IReadOnlyList<string> Fields)> Records(string text, string file)
    {
        var records = new List<(int, IReadOnlyList<string>)>();
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                var quoteLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new HierReasonException($"{file}: line {quoteLine}: expected a closing '\"' for the quoted field that starts there; found the end of the file");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    throw new HierReasonException($"{file}: line {line}: expected ',' or the end of the row after a quoted field; found '{text[i]}'");
                continue;
            }
            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
                continue;
            }
            if (c is '\r' or '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add((recordLine, fields.ToArray()));
                fields.Clear();
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
                continue;
            }
            field.Append(c);
            i++;
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields.ToArray()));
        }
        return records;
    }
}

/// <summary>One data row of a <see cref="CsvTable"/>: its row number (the header is row 1), the line it starts on, its fields.</summary>
internal sealed record CsvRow(int Number, int Line, IReadOnlyList<string> Fields)
{
    public string Where => Number == Line ? $"row {Number}" : $"row {Number} (line {Line})";
}
