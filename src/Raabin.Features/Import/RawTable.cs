using System.Globalization;
using System.Text;
using System.Text.Json;
using Raabin.Features.IO;

namespace Raabin.Features.Import;

/// <summary>One cell of an imported record: a scalar text, or the items of a JSON array; with the line it is on.</summary>
internal sealed class RawValue(int line, string? text, IReadOnlyList<string>? items)
{
    /// <summary>1-based line of the value.</summary>
    public int Line { get; } = line;

    /// <summary>The scalar text; null when the cell is empty or JSON null (or when <see cref="Items"/> is set).</summary>
    public string? Text { get; } = text;

    /// <summary>The items of a JSON array value, or null.</summary>
    public IReadOnlyList<string>? Items { get; } = items;

    /// <summary>Whether the cell holds nothing (empty CSV field or JSON null).</summary>
    public bool IsMissing => Text is null && Items is null;
}

/// <summary>One imported record: a value per column of its <see cref="RawTable"/>.</summary>
internal sealed class RawRecord(int line, RawValue[] values)
{
    /// <summary>1-based line where the record starts.</summary>
    public int Line { get; } = line;

    /// <summary>Values in the table's column order.</summary>
    public RawValue[] Values { get; } = values;
}

/// <summary>
/// CSV rows and JSON records brought to one shape (named columns, a value per column, line numbers) so the score
/// importer reads both the same way. Every record has every column: ragged input is refused here.
/// </summary>
internal sealed class RawTable
{
    private readonly Dictionary<string, int> _index;

    private RawTable(string source, string kind, IReadOnlyList<string> columns, IReadOnlyList<RawRecord> records)
    {
        Source = source;
        Kind = kind;
        Columns = columns;
        Records = records;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
        {
            _index[columns[i]] = i;
        }
    }

    public string Source { get; }

    /// <summary>A few words on what the input was ("CSV", "JSON array of records", ...).</summary>
    public string Kind { get; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<RawRecord> Records { get; }

    public int IndexOf(string column) => _index.TryGetValue(column, out int i) ? i : -1;

    public bool Has(string column) => _index.ContainsKey(column);

    /// <summary>Reads CSV text through <see cref="CsvTable"/>; empty fields become missing values.</summary>
    public static RawTable FromCsv(string text, string source)
    {
        CsvTable csv;
        try
        {
            csv = CsvTable.Parse(text, source);
        }
        catch (CsvFormatException e)
        {
            throw new ScoreImportException(source, e.Line, e.Column, e.Problem, e);
        }

        var records = new List<RawRecord>(csv.Rows.Count);
        for (int r = 0; r < csv.Rows.Count; r++)
        {
            string[] row = csv.Rows[r];
            int line = csv.LineNumbers[r];
            var values = new RawValue[row.Length];
            for (int c = 0; c < row.Length; c++)
            {
                values[c] = new RawValue(line, row[c].Length == 0 ? null : row[c], null);
            }

            records.Add(new RawRecord(line, values));
        }

        return new RawTable(source, "CSV", csv.Header, records);
    }

    /// <summary>
    /// Reads JSON: an array of record objects; JSON Lines (one record object per line); or timm's
    /// <c>orient=index</c> object (file name → record object), whose keys become a <c>filename</c> column.
    /// </summary>
    public static RawTable FromJson(byte[] utf8, string source)
    {
        int start = utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF ? 3 : 0;
        // Utf8JsonReader checks the structure but leaves invalid UTF-8 inside strings to GetString, which throws
        // InvalidOperationException: refuse such a file here, naming the line.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.AsSpan(start)))
        {
            int at = start;
            while (System.Text.Rune.DecodeFromUtf8(utf8.AsSpan(at), out _, out int used) == System.Buffers.OperationStatus.Done)
            {
                at += used;
            }

            int line = 1 + utf8.AsSpan(start, at - start).Count((byte)'\n');
            throw new ScoreImportException(source, line, null, $"not UTF-8 text: invalid byte 0x{utf8[at]:X2} at offset {at}");
        }

        var json = new JsonReading(utf8, start, source);
        return json.Read();
    }

    /// <summary>Walks the JSON tokens, keeping each value's line (System.Text.Json's DOM does not keep positions).</summary>
    private sealed class JsonReading
    {
        private readonly byte[] _bytes;
        private readonly int _start;
        private readonly string _source;
        private readonly List<int> _newlines = new();
        private readonly List<string> _columns = new();
        private readonly Dictionary<string, int> _columnIndex = new(StringComparer.Ordinal);

        public JsonReading(byte[] bytes, int start, string source)
        {
            _bytes = bytes;
            _start = start;
            _source = source;
            for (int i = start; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    _newlines.Add(i);
                }
            }
        }

        public RawTable Read()
        {
            var reader = new Utf8JsonReader(_bytes.AsSpan(_start), new JsonReaderOptions
            {
                AllowMultipleValues = true,
                CommentHandling = JsonCommentHandling.Disallow,
            });
            var records = new List<(int Line, Dictionary<string, RawValue> Values)>();
            string kind;
            try
            {
                if (!reader.Read())
                {
                    throw new ScoreImportException(_source, 0, null, "the file is empty");
                }

                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    kind = "JSON array of records";
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw Error(reader, null, "each element of the top-level array must be an object (one record per image)");
                        }

                        records.Add(ReadRecord(ref reader, null));
                    }

                    if (reader.Read())
                    {
                        throw Error(reader, null, "unexpected content after the top-level array");
                    }
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var first = ReadObjectOrIndex(ref reader, out bool isIndexOrient);
                    if (isIndexOrient)
                    {
                        kind = "JSON object keyed by file name (timm orient=index); keys read as column 'filename'";
                        records.AddRange(first);
                        if (reader.Read())
                        {
                            throw Error(reader, null, "unexpected content after the top-level object");
                        }
                    }
                    else
                    {
                        kind = "JSON Lines (one record object per line)";
                        records.AddRange(first);
                        while (reader.Read())
                        {
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                throw Error(reader, null, "each JSON Lines value must be an object (one record per image)");
                            }

                            records.Add(ReadRecord(ref reader, null));
                        }
                    }
                }
                else
                {
                    throw Error(reader, null, "the top level must be an array of record objects, JSON Lines, or an object keyed by file name");
                }
            }
            catch (JsonException e)
            {
                int line = e.LineNumber is long l ? (int)l + 1 : 0;
                throw new ScoreImportException(_source, line, null, "malformed JSON: " + e.Message, e);
            }

            if (records.Count == 0)
            {
                throw new ScoreImportException(_source, 0, null, "the file holds no records");
            }

            var rows = new List<RawRecord>(records.Count);
            foreach (var (line, values) in records)
            {
                var row = new RawValue[_columns.Count];
                for (int c = 0; c < _columns.Count; c++)
                {
                    if (!values.TryGetValue(_columns[c], out var v))
                    {
                        throw new ScoreImportException(_source, line, _columns[c],
                            "the record lacks this property, which other records have (ragged records)");
                    }

                    row[c] = v;
                }

                rows.Add(new RawRecord(line, row));
            }

            return new RawTable(_source, kind, _columns, rows);
        }

        /// <summary>
        /// Reads a top-level object: either one record (JSON Lines) or, when every property value is an object,
        /// timm's file name → record mapping.
        /// </summary>
        private List<(int, Dictionary<string, RawValue>)> ReadObjectOrIndex(ref Utf8JsonReader reader, out bool isIndexOrient)
        {
            // Peek at the first property's value to tell the two shapes apart.
            var probe = reader;
            probe.Read();
            bool nested = false;
            if (probe.TokenType == JsonTokenType.PropertyName)
            {
                probe.Read();
                nested = probe.TokenType == JsonTokenType.StartObject;
            }

            isIndexOrient = nested;
            if (!nested)
            {
                return [ReadRecord(ref reader, null)];
            }

            var list = new List<(int, Dictionary<string, RawValue>)>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string key = reader.GetString()!;
                int keyLine = LineOf(reader.TokenStartIndex);
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Error(reader, key, "in an object keyed by file name every value must be a record object");
                }

                list.Add(ReadRecord(ref reader, new RawValue(keyLine, key, null)));
            }

            return list;
        }

        private (int, Dictionary<string, RawValue>) ReadRecord(ref Utf8JsonReader reader, RawValue? fileNameKey)
        {
            int line = LineOf(reader.TokenStartIndex);
            var values = new Dictionary<string, RawValue>(StringComparer.Ordinal);
            if (fileNameKey is not null)
            {
                AddColumn("filename");
                values["filename"] = fileNameKey;
                line = fileNameKey.Line;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                reader.Read();
                int valueLine = LineOf(reader.TokenStartIndex);
                if (!values.TryAdd(name, ReadValue(ref reader, name, valueLine)))
                {
                    throw new ScoreImportException(_source, valueLine, name, "the property appears twice in one record");
                }

                AddColumn(name);
            }

            if (values.Count == 0)
            {
                throw new ScoreImportException(_source, line, null, "an empty record object");
            }

            return (line, values);
        }

        private RawValue ReadValue(ref Utf8JsonReader reader, string name, int line)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return new RawValue(line, null, null);
                case JsonTokenType.String:
                    string s = reader.GetString()!;
                    return new RawValue(line, s.Length == 0 ? null : s, null);
                case JsonTokenType.Number:
                    return new RawValue(line, Encoding.UTF8.GetString(reader.ValueSpan), null);
                case JsonTokenType.StartArray:
                    var items = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            items.Add(reader.GetString()!);
                        }
                        else if (reader.TokenType == JsonTokenType.Number)
                        {
                            items.Add(Encoding.UTF8.GetString(reader.ValueSpan));
                        }
                        else
                        {
                            throw Error(reader, name, "array items must be numbers or strings");
                        }
                    }

                    return new RawValue(line, null, items);
                default:
                    throw Error(reader, name, $"a {Describe(reader.TokenType)} is not expected here (numbers, strings, arrays or null)");
            }
        }

        private static string Describe(JsonTokenType t) => t switch
        {
            JsonTokenType.True or JsonTokenType.False => "boolean",
            JsonTokenType.StartObject => "nested object",
            _ => t.ToString(),
        };

        private void AddColumn(string name)
        {
            if (_columnIndex.TryAdd(name, _columns.Count))
            {
                _columns.Add(name);
            }
        }

        private ScoreImportException Error(Utf8JsonReader reader, string? column, string problem) =>
            new(_source, LineOf(reader.TokenStartIndex), column, problem);

        /// <summary>1-based line of a byte offset relative to the start of the JSON text.</summary>
        private int LineOf(long offset)
        {
            long absolute = offset + _start;
            int lo = 0;
            int hi = _newlines.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (_newlines[mid] < absolute)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo + 1;
        }
    }

    /// <summary>Shared number parsing: invariant culture, finite or not, no thousands separators.</summary>
    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
