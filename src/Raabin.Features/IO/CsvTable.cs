using System.Globalization;
using System.Text;

namespace Raabin.Features.IO;

/// <summary>
/// A CSV file read whole: a header row and data rows of strings (RFC 4180: comma separated, fields optionally quoted
/// with <c>"</c>, quotes doubled inside quoted fields, CRLF or LF line ends, UTF-8 with or without BOM). Every error
/// names the file, the line and, where it applies, the column.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columnIndex;

    private CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, IReadOnlyList<int> lines)
    {
        Source = source;
        Header = header;
        Rows = rows;
        LineNumbers = lines;
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++)
        {
            if (!_columnIndex.TryAdd(header[i], i))
            {
                throw new CsvFormatException(source, 1, header[i], "duplicate column name");
            }
        }
    }

    /// <summary>The file the table was read from (used in error messages).</summary>
    public string Source { get; }

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Data rows; each has exactly <see cref="Header"/>.Count fields.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The 1-based line in the file where each data row starts.</summary>
    public IReadOnlyList<int> LineNumbers { get; }

    /// <summary>Reads a CSV file.</summary>
    /// <exception cref="CsvFormatException">Malformed CSV, a ragged row or a duplicate column name.</exception>
    public static CsvTable Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CsvFormatException(path, 0, null, e.Message, e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="CsvFormatException">Malformed CSV, a ragged row or a duplicate column name.</exception>
    public static CsvTable Parse(string text, string source)
    {
        var records = new List<string[]>();
        var lines = new List<int>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        bool atRecordStart = true;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && field.Length == 0)
            {
                // Quoted field: runs to the closing quote; doubled quotes are literal quotes.
                int startLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new CsvFormatException(source, startLine, null, "a quoted field is not closed");
                    }

                    char q = text[i];
                    if (q == '"')
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

                    if (q == '\n')
                    {
                        line++;
                    }

                    field.Append(q);
                    i++;
                }

                if (i < text.Length && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                {
                    throw new CsvFormatException(source, line, null, $"unexpected character '{text[i]}' after a closing quote");
                }

                atRecordStart = false;
                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                atRecordStart = false;
                i++;
                continue;
            }

            if (c == '\r' || c == '\n')
            {
                if (!atRecordStart || field.Length > 0)
                {
                    fields.Add(field.ToString());
                    records.Add(fields.ToArray());
                    lines.Add(recordLine);
                }

                fields.Clear();
                field.Clear();
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
                atRecordStart = true;
                continue;
            }

            field.Append(c);
            atRecordStart = false;
            i++;
        }

        if (!atRecordStart || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields.ToArray());
            lines.Add(recordLine);
        }

        if (records.Count == 0)
        {
            throw new CsvFormatException(source, 1, null, "the file is empty (no header row)");
        }

        string[] header = records[0];
        for (int r = 1; r < records.Count; r++)
        {
            if (records[r].Length != header.Length)
            {
                throw new CsvFormatException(source, lines[r], null,
                    $"the row has {records[r].Length} fields but the header has {header.Length}");
            }
        }

        return new CsvTable(source, header, records.GetRange(1, records.Count - 1), lines.GetRange(1, lines.Count - 1));
    }

    /// <summary>Whether the table has a column called <paramref name="name"/>.</summary>
    public bool HasColumn(string name) => _columnIndex.ContainsKey(name);

    /// <summary>The index of column <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _columnIndex.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The index of a column that must exist.</summary>
    /// <exception cref="CsvFormatException">The column is missing.</exception>
    public int RequireColumn(string name) =>
        _columnIndex.TryGetValue(name, out int i)
            ? i
            : throw new CsvFormatException(Source, 1, name, $"required column '{name}' is missing (columns: {string.Join(",", Header)})");

    /// <summary>Parses a field as an invariant-culture double ("nan", "inf" accepted); empty gives NaN.</summary>
    /// <exception cref="CsvFormatException">The field is not a number.</exception>
    public double GetDouble(int row, int column)
    {
        string s = Rows[row][column];
        if (s.Length == 0)
        {
            return double.NaN;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            return v;
        }

        return s.ToLowerInvariant() switch
        {
            "nan" => double.NaN,
            "inf" or "+inf" or "infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => throw new CsvFormatException(Source, LineNumbers[row], Header[column], $"'{s}' is not a number"),
        };
    }
}

/// <summary>A CSV file that cannot be used: names the file, the 1-based line (0 when unknown) and the column.</summary>
public sealed class CsvFormatException : DataFileException
{
    /// <summary>Creates the exception.</summary>
    public CsvFormatException(string source, int line, string? column, string problem, Exception? inner = null)
        : base(source, line, column, problem, inner)
    {
    }
}
