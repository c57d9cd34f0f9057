using System.Globalization;
using System.Text;

namespace Raabin.Features.IO;

/// <summary>
/// Writes CSV rows (RFC 4180 quoting only where needed, LF line ends, UTF-8 without BOM). Numbers use the invariant
/// culture and round-trip precision, so a value read back is the value written.
/// </summary>
public sealed class CsvWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly StringBuilder _line = new();
    private bool _first = true;

    /// <summary>Writes to a file (created or truncated).</summary>
    public CsvWriter(string path)
        : this(new StreamWriter(path, append: false, new UTF8Encoding(false)), ownsWriter: true)
    {
    }

    /// <summary>Writes to an existing writer.</summary>
    public CsvWriter(TextWriter writer, bool ownsWriter = false)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <summary>Appends a text field.</summary>
    public CsvWriter Field(string? value)
    {
        Separator();
        value ??= string.Empty;
        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            _line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            _line.Append(value);
        }

        return this;
    }

    /// <summary>Appends a number with round-trip precision ("R"); NaN is written as an empty field.</summary>
    public CsvWriter Field(double value)
    {
        Separator();
        if (!double.IsNaN(value))
        {
            _line.Append(Format(value));
        }

        return this;
    }

    /// <summary>Appends an integer.</summary>
    public CsvWriter Field(long value)
    {
        Separator();
        _line.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>Writes a whole row of text fields.</summary>
    public void Row(IEnumerable<string> fields)
    {
        foreach (string f in fields)
        {
            Field(f);
        }

        EndRow();
    }

    /// <summary>Ends the current row.</summary>
    public void EndRow()
    {
        _line.Append('\n');
        _writer.Write(_line);
        _line.Clear();
        _first = true;
    }

    /// <summary>Flushes buffered rows to the underlying writer.</summary>
    public void Flush() => _writer.Flush();

    /// <summary>Formats a double as the CSV writer does: invariant, shortest round-trip form.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
        else
        {
            _writer.Flush();
        }
    }

    private void Separator()
    {
        if (!_first)
        {
            _line.Append(',');
        }

        _first = false;
    }
}
