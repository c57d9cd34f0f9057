using System.Globalization;
using System.Text;

namespace Raabin.Features.IO;

/// <summary>
/// A batch CSV output that survives interruption. Rows go to <c>OUT.partial</c> as they complete, each flushed whole, with
/// the run's <see cref="BatchFingerprint"/> in <c>OUT.partial.json</c>; <see cref="Complete"/> renames the partial file to
/// <c>OUT</c>. <see cref="Resume"/> reopens a partial file made with the same settings: a torn last row (one without its
/// line end) is dropped, the finished rows are kept byte for byte, and the caller processes only the items after
/// <see cref="KeptRowCount"/> (rows are in item order), so the final file is the one an uninterrupted run writes.
/// </summary>
public sealed class PartialCsvFile : IDisposable
{
    /// <summary>Appended to the output's name to name the partial file.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Appended to the output's name to name the settings sidecar.</summary>
    public const string SidecarSuffix = ".partial.json";

    private readonly FileStream _stream;
    private readonly BatchFingerprint _fingerprint;
    private bool _closed;
    private int _headerRows;

    private PartialCsvFile(string path, BatchFingerprint fingerprint, FileStream stream, IReadOnlyList<string[]> kept, long tornBytes)
    {
        Path = path;
        _fingerprint = fingerprint;
        _stream = stream;
        KeptRows = kept;
        TornBytesDropped = tornBytes;
        Writer = new CsvWriter(new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true), ownsWriter: true)
        {
            FlushEveryRow = true,
        };
    }

    /// <summary>The final output.</summary>
    public string Path { get; }

    /// <summary>The partial file: <see cref="Path"/> + <see cref="PartialSuffix"/>.</summary>
    public string PartialPath => PartialPathOf(Path);

    /// <summary>The settings sidecar: <see cref="Path"/> + <see cref="SidecarSuffix"/>.</summary>
    public string SidecarPath => SidecarPathOf(Path);

    /// <summary>Writes rows; each is flushed to the file as it ends.</summary>
    public CsvWriter Writer { get; }

    /// <summary>Rows found finished in the partial file on resume (parsed fields), in item order; empty for a fresh start.</summary>
    public IReadOnlyList<string[]> KeptRows { get; }

    /// <summary>How many rows were kept, i.e. how many leading items need no processing.</summary>
    public int KeptRowCount => KeptRows.Count;

    /// <summary>Bytes of a torn last row dropped on resume (0 if the file ended on a row boundary).</summary>
    public long TornBytesDropped { get; }

    /// <summary>Whether <see cref="Start"/> replaced a partial file left by an earlier run.</summary>
    public bool ReplacedPartial { get; private init; }

    /// <summary>Whether <see cref="Resume"/> found a partial file to continue (false: there was none, so it started afresh).</summary>
    public bool Resumed { get; private init; }

    /// <summary>Rows in the output so far: kept plus written.</summary>
    public int RowCount => KeptRowCount + (int)Writer.RowsWritten - _headerRows;

    /// <summary>Rows the complete output will have.</summary>
    public int TotalRows => _fingerprint.ItemCount;

    /// <summary>Whether <see cref="Complete"/> has renamed the partial file to <see cref="Path"/>.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The partial file of an output.</summary>
    public static string PartialPathOf(string path) => path + PartialSuffix;

    /// <summary>The settings sidecar of an output.</summary>
    public static string SidecarPathOf(string path) => path + SidecarSuffix;

    /// <summary>Whether an output has a partial file waiting to be resumed.</summary>
    public static bool HasPartial(string path) => File.Exists(PartialPathOf(path));

    /// <summary>Starts the output afresh, replacing any partial file (see <see cref="ReplacedPartial"/>); writes the header row.</summary>
    /// <param name="path">The final output.</param>
    /// <param name="header">The header row.</param>
    /// <param name="fingerprint">The run's settings and items.</param>
    public static PartialCsvFile Start(string path, IReadOnlyList<string> header, BatchFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(fingerprint);
        bool replaced = HasPartial(path);

        // The sidecar first: a partial file never exists without the settings it was made with.
        fingerprint.Save(SidecarPathOf(path));
        var stream = new FileStream(PartialPathOf(path), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var file = new PartialCsvFile(path, fingerprint, stream, [], 0) { ReplacedPartial = replaced };
        file.WriteHeader(header);
        return file;
    }

    /// <summary>
    /// Continues the partial output of an earlier run with the same settings and items, or starts afresh when there is
    /// none (<see cref="Resumed"/> false). The torn last row, if any, is cut off the file.
    /// </summary>
    /// <param name="path">The final output.</param>
    /// <param name="header">The header row this run writes.</param>
    /// <param name="fingerprint">This run's settings and items (with <see cref="BatchFingerprint.Keys"/>).</param>
    /// <exception cref="PartialFileException">
    /// The partial file was made with other settings, other items or another header, has no settings sidecar, or its
    /// rows are not for this run's first items; the message names the difference.
    /// </exception>
    public static PartialCsvFile Resume(string path, IReadOnlyList<string> header, BatchFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(fingerprint);
        var keys = fingerprint.Keys ?? throw new ArgumentException("the fingerprint of a run must carry its item keys", nameof(fingerprint));
        string partial = PartialPathOf(path);
        if (!File.Exists(partial))
        {
            return Start(path, header, fingerprint);
        }

        if (!File.Exists(SidecarPathOf(path)))
        {
            throw new PartialFileException(partial, 0, null,
                $"cannot resume: its settings file {System.IO.Path.GetFileName(SidecarPathOf(path))} is missing, so it cannot be checked; run without --resume to start again");
        }

        var differences = fingerprint.DifferencesFrom(BatchFingerprint.Load(SidecarPathOf(path)));
        if (differences.Count > 0)
        {
            throw new PartialFileException(partial, 0, null,
                $"cannot resume: it was made with other settings ({string.Join("; ", differences)}); run without --resume to start again, or with the same settings");
        }

        byte[] bytes = File.ReadAllBytes(partial);
        int end = EndOfLastRow(bytes);
        var stream = new FileStream(partial, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            if (end == 0)
            {
                // Not even the header is whole: nothing to keep.
                stream.SetLength(0);
                var fresh = new PartialCsvFile(path, fingerprint, stream, [], bytes.Length) { Resumed = true };
                fresh.WriteHeader(header);
                return fresh;
            }

            var kept = CheckRows(partial, Encoding.UTF8.GetString(bytes, 0, end), header, keys);
            stream.SetLength(end);
            stream.Seek(end, SeekOrigin.Begin);
            return new PartialCsvFile(path, fingerprint, stream, kept, bytes.Length - end) { Resumed = true };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Finishes the output: flushes the partial file to disk, renames it to <see cref="Path"/> (replacing any file there)
    /// and deletes the sidecar.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not every row has been written (<see cref="RowCount"/> &lt; <see cref="TotalRows"/>).</exception>
    public void Complete()
    {
        if (RowCount != TotalRows)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{PartialPath}: {RowCount} of {TotalRows} rows written; the output is not complete"));
        }

        Writer.Flush();
        _stream.Flush(flushToDisk: true);
        Close();
        File.Move(PartialPath, Path, overwrite: true);
        IsComplete = true;
        File.Delete(SidecarPath);
    }

    /// <summary>Flushes and closes the partial file, which stays for a later <see cref="Resume"/> unless completed.</summary>
    public void Dispose() => Close();

    // The end (exclusive) of the last whole row: just after the last line feed outside a quoted field.
    internal static int EndOfLastRow(ReadOnlySpan<byte> bytes)
    {
        // UTF-8 continuation bytes never equal '"' or '\n', so a byte scan sees the same structure as a character scan.
        bool quoted = false;
        int end = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (b == (byte)'\n' && !quoted)
            {
                end = i + 1;
            }
        }

        return end;
    }

    private static List<string[]> CheckRows(string partial, string text, IReadOnlyList<string> header, IReadOnlyList<string> keys)
    {
        CsvTable table;
        try
        {
            table = CsvTable.Parse(text, partial);
        }
        catch (CsvFormatException e)
        {
            throw new PartialFileException(partial, e.Line, e.Column, $"cannot resume: {e.Problem}; run without --resume to start again", e);
        }

        if (!table.Header.SequenceEqual(header, StringComparer.Ordinal))
        {
            int at = 0;
            while (at < header.Count && at < table.Header.Count && table.Header[at] == header[at])
            {
                at++;
            }

            string there = at < table.Header.Count ? $"'{table.Header[at]}'" : "nothing";
            string now = at < header.Count ? $"'{header[at]}'" : "nothing";
            throw new PartialFileException(partial, 1, null, string.Create(CultureInfo.InvariantCulture,
                $"cannot resume: its header differs from this run's at column {at + 1} ({there} there, {now} now); run without --resume to start again"));
        }

        if (table.Rows.Count > keys.Count)
        {
            throw new PartialFileException(partial, 0, null, string.Create(CultureInfo.InvariantCulture,
                $"cannot resume: it has {table.Rows.Count} rows but this run has only {keys.Count} items; run without --resume to start again"));
        }

        for (int r = 0; r < table.Rows.Count; r++)
        {
            if (table.Rows[r][0] != keys[r])
            {
                throw new PartialFileException(partial, table.LineNumbers[r], null, string.Create(CultureInfo.InvariantCulture,
                    $"cannot resume: row {r + 1} is for '{table.Rows[r][0]}' but this run's item {r + 1} is '{keys[r]}'; run without --resume to start again"));
            }
        }

        return [.. table.Rows];
    }

    private void WriteHeader(IReadOnlyList<string> header)
    {
        Writer.Row(header);
        _headerRows = 1;
    }

    private void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            Writer.Dispose();
        }
        finally
        {
            _stream.Dispose();
        }
    }
}
