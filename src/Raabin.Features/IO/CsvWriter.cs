using System.Globalization;
using System.Text;

namespace Raabin.Features.IO;

/// <summary>
/// Writes CSV rows (RFC 4180 quoting only where needed, LF line ends, UTF-8 without BOM). Numbers use the invariant
/// culture and round-trip precision, so a value read back is the value written. A writer made with a path writes through an
/// <see cref="AtomicFile"/>: the file appears under its name only on <see cref="Commit"/>, and disposing without it leaves
/// nothing there.
/// </summary>
public sealed class CsvWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly AtomicFile? _file;
    private readonly StringBuilder _line = new();
    private bool _first = true;
    private bool _committed;

    /// <summary>
    /// Writes to a file atomically: rows go to a temporary file beside <paramref name="path"/>, which replaces
    /// <paramref name="path"/> on <see cref="Commit"/>. Disposing without committing deletes the temporary file.
    /// </summary>
    public CsvWriter(string path)
    {
        _file = AtomicFile.Create(path);
        _writer = new StreamWriter(_file.Stream, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true);
        _ownsWriter = true;
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

    /// <summary>
    /// Whether every row is flushed to the underlying writer as it ends, so what has reached the file is always whole
    /// rows (except when a process dies inside the one write of a row). Off by default.
    /// </summary>
    public bool FlushEveryRow { get; set; }

    /// <summary>Rows ended so far by this writer.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Ends the current row.</summary>
    public void EndRow()
    {
        if (_committed)
        {
            throw new InvalidOperationException("the CSV file has been committed; no more rows can be written");
        }

        _line.Append('\n');
        _writer.Write(_line.ToString());
        _line.Clear();
        _first = true;
        RowsWritten++;
        if (FlushEveryRow)
        {
            _writer.Flush();
        }
    }

    /// <summary>Flushes buffered rows to the underlying writer.</summary>
    public void Flush() => _writer.Flush();

    /// <summary>
    /// Finishes the output. A file written by path is flushed to disk and renamed over its final name; a writer given
    /// to the constructor is flushed. No rows can be written afterwards.
    /// </summary>
    public void Commit()
    {
        _writer.Flush();
        _committed = true;
        if (_file is not null)
        {
            _writer.Dispose();
            _file.Commit();
        }
    }

    /// <summary>Formats a double as the CSV writer does: invariant, shortest round-trip form.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_file is not null)
        {
            if (!_file.IsCommitted)
            {
                try
                {
                    _writer.Dispose();
                }
                catch (IOException)
                {
                    // Not committed: the temporary file is removed, so its unwritten tail does not matter.
                }
            }

            _file.Dispose();
        }
        else if (_ownsWriter)
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
