using Raabin.Features.IO;

namespace Raabin.Features.Measurement;

/// <summary>One image's row in a feature table.</summary>
/// <param name="Path">Image path relative to its dataset folder.</param>
/// <param name="Label">True class (may be empty when unknown).</param>
/// <param name="Split">Split name or empty.</param>
/// <param name="Domain">Acquisition domain id.</param>
/// <param name="Status"><c>ok</c>, or why there are no features (<see cref="CellStatus"/>).</param>
/// <param name="Error">The failure message, or null.</param>
/// <param name="Values">Feature values in the table's <see cref="FeatureTable.FeatureIds"/> order (NaN when not ok).</param>
public sealed record FeatureRow(string Path, string Label, string Split, string Domain, string Status, string? Error, double[] Values)
{
    /// <summary>Whether the row has features.</summary>
    public bool IsOk => Status == CellStatus.Ok;
}

/// <summary>Status words written in every per-image output.</summary>
public static class CellStatus
{
    /// <summary>Segmented and measured.</summary>
    public const string Ok = "ok";

    /// <summary>The image file could not be read or decoded.</summary>
    public const string DecodeError = "decode_error";

    /// <summary>
    /// The image decoded, but only because the decoder filled in or glossed over damaged data (e.g. a truncated JPEG
    /// whose lower rows are uniform grey), as OpenCV does with a warning; it was not measured. The error column holds
    /// the decoder's warnings (<see cref="Imaging.DecodeReport"/>). See <see cref="CellPipeline.MeasureDamaged"/>.
    /// </summary>
    public const string Damaged = "damaged";

    /// <summary>The segmenter rejected the image (no nucleus, too small, ...).</summary>
    public const string SegmentationFailed = "segmentation_failed";

    /// <summary>Listed in the manifest but the file is missing.</summary>
    public const string Missing = "missing";
}

/// <summary>
/// A table of per-image features: <c>path,label,split,domain,status,error</c> then one column per feature id. Reading
/// matches feature columns by catalog id and ignores other columns, so the reference's own files
/// (<c>dataset,path,label,ok,error,...</c>) load as they are.
/// </summary>
public sealed class FeatureTable
{
    /// <summary>The fixed leading columns written by <see cref="Save"/>.</summary>
    public static readonly IReadOnlyList<string> LeadingColumns = ["path", "label", "split", "domain", "status", "error"];

    /// <summary>Creates a table.</summary>
    public FeatureTable(IReadOnlyList<string> featureIds, IReadOnlyList<FeatureRow> rows, string? source = null)
    {
        FeatureIds = featureIds;
        Rows = rows;
        Source = source ?? "(in memory)";
    }

    /// <summary>Feature ids, in column order.</summary>
    public IReadOnlyList<string> FeatureIds { get; }

    /// <summary>Rows in file order.</summary>
    public IReadOnlyList<FeatureRow> Rows { get; }

    /// <summary>Where the table came from (for error messages).</summary>
    public string Source { get; }

    /// <summary>
    /// Reads a feature CSV. Feature columns are those whose header is a catalog id (<see cref="FeatureCatalog.Find"/>), or
    /// exactly <paramref name="featureIds"/> when given (each must be present). Status comes from a <c>status</c> column,
    /// else from a reference-style <c>ok</c> column (1 = ok), else every row is ok.
    /// </summary>
    /// <exception cref="CsvFormatException">Missing columns, no feature columns or a non-numeric value.</exception>
    public static FeatureTable Load(string path, IReadOnlyList<string>? featureIds = null)
    {
        var csv = CsvTable.Load(path);
        int pathCol = csv.RequireColumn("path");
        int labelCol = csv.IndexOf("label");
        int splitCol = csv.IndexOf("split");
        int domainCol = csv.IndexOf("domain");
        int datasetCol = csv.IndexOf("dataset");
        int statusCol = csv.IndexOf("status");
        int okCol = csv.IndexOf("ok");
        int errorCol = csv.IndexOf("error");

        List<string> ids;
        if (featureIds is not null)
        {
            ids = [.. featureIds];
            var missing = ids.Where(id => !csv.HasColumn(id)).ToList();
            if (missing.Count > 0)
            {
                throw new CsvFormatException(path, 1, missing[0],
                    $"{missing.Count} feature column(s) required by the model are missing: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : string.Empty)}");
            }
        }
        else
        {
            ids = csv.Header.Where(h => FeatureCatalog.Find(h) is not null).ToList();
            if (ids.Count == 0)
            {
                throw new CsvFormatException(path, 1, null, "no feature columns: no header is a feature id of the catalog (see `raabin catalog`)");
            }
        }

        int[] cols = ids.Select(csv.IndexOf).ToArray();
        var rows = new List<FeatureRow>(csv.Rows.Count);
        for (int r = 0; r < csv.Rows.Count; r++)
        {
            string[] f = csv.Rows[r];
            string status = statusCol >= 0 ? f[statusCol]
                : okCol >= 0 ? (f[okCol] is "1" or "True" or "true" ? CellStatus.Ok : CellStatus.SegmentationFailed)
                : CellStatus.Ok;
            var values = new double[cols.Length];
            for (int c = 0; c < cols.Length; c++)
            {
                values[c] = status == CellStatus.Ok ? csv.GetDouble(r, cols[c]) : (f[cols[c]].Length == 0 ? double.NaN : csv.GetDouble(r, cols[c]));
            }

            string domain = domainCol >= 0 ? f[domainCol] : datasetCol >= 0 ? f[datasetCol] : string.Empty;
            string? error = errorCol >= 0 && f[errorCol].Length > 0 ? f[errorCol] : null;
            rows.Add(new FeatureRow(f[pathCol], labelCol >= 0 ? f[labelCol] : string.Empty, splitCol >= 0 ? f[splitCol] : string.Empty,
                domain, status, error, values));
        }

        return new FeatureTable(ids, rows, path);
    }

    /// <summary>Writes the table as CSV (numbers in round-trip form).</summary>
    public void Save(string path)
    {
        using var writer = new CsvWriter(path);
        WriteHeader(writer, FeatureIds);
        foreach (var row in Rows)
        {
            WriteRow(writer, row);
        }
    }

    /// <summary>Writes the header row for the given feature ids.</summary>
    public static void WriteHeader(CsvWriter writer, IReadOnlyList<string> featureIds) => writer.Row(LeadingColumns.Concat(featureIds));

    /// <summary>Writes one row.</summary>
    public static void WriteRow(CsvWriter writer, FeatureRow row)
    {
        writer.Field(row.Path).Field(row.Label).Field(row.Split).Field(row.Domain).Field(row.Status).Field(row.Error);
        foreach (double v in row.Values)
        {
            writer.Field(v);
        }

        writer.EndRow();
    }
}
