using Raabin.Features.IO;
using Raabin.Features.Segmentation;

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

    /// <summary>Measured, but a feature the classifier reads is NaN or infinite (e.g. an empty region), so it is not classified.</summary>
    public const string InvalidFeatures = "invalid_features";

    /// <summary>
    /// Measured and scored, but the probability of the best label is below the model's reject threshold
    /// (<c>PipelineModel.RejectBelow</c>): "not recognised" rather than a guess. The error column says the label it would
    /// have had and its probability.
    /// </summary>
    public const string NotRecognised = "not_recognised";
}

/// <summary>What produced a feature table: the segmenter with all its options and the extractor with its version.</summary>
/// <param name="Segmenter">The segmenter, or null when the table does not say (e.g. a file made by another tool).</param>
/// <param name="Extractor">The feature extractor, or null when the table does not say.</param>
public sealed record FeatureProvenance(SegmenterSpec? Segmenter, ExtractorSpec? Extractor)
{
    /// <summary>A table that does not say what produced it.</summary>
    public static FeatureProvenance Unknown { get; } = new(null, null);

    /// <summary>The published method: reference segmenter, 51 reference features.</summary>
    public static FeatureProvenance Reference { get; } = new(SegmenterSpec.Reference, ExtractorSpec.Reference);

    /// <summary>
    /// When the rows were measured on randomised copies of the images (training-time domain randomisation): the
    /// randomisation with its seed (the <c>randomisation</c> column); null for the images as they are.
    /// </summary>
    public string? Randomization { get; init; }

    /// <summary>Whether both steps are known.</summary>
    public bool IsKnown => Segmenter is not null && Extractor is not null;

    /// <summary>The same steps on the images as they are (no randomisation).</summary>
    public FeatureProvenance WithoutRandomization => this with { Randomization = null };

    /// <inheritdoc />
    public override string ToString() => $"segmenter {Segmenter?.ToString() ?? "(not recorded)"}, extractor {Extractor?.ToString() ?? "(not recorded)"}" +
        (Randomization is { } r ? $", randomised copies ({r})" : string.Empty);
}

/// <summary>
/// A table of per-image features: <c>path,label,split,domain,status,error,segmenter,extractor</c> (and
/// <c>randomisation</c> for rows measured on randomised copies) then one column per feature id. The <c>segmenter</c> and <c>extractor</c> columns carry the table's <see cref="FeatureProvenance"/> on every
/// row (<see cref="SegmenterSpec"/> and <see cref="ExtractorSpec"/> text forms), so any copy of the file says how its
/// numbers were made. Reading
/// matches feature columns by catalog id and ignores other columns, so the reference's own files
/// (<c>dataset,path,label,ok,error,...</c>) load as they are.
/// </summary>
public sealed class FeatureTable
{
    /// <summary>The fixed leading columns written by <see cref="Save"/>.</summary>
    public static readonly IReadOnlyList<string> LeadingColumns = ["path", "label", "split", "domain", "status", "error", "segmenter", "extractor"];

    /// <summary>The column after <see cref="LeadingColumns"/> in tables of randomised copies.</summary>
    public const string RandomizationColumn = "randomisation";

    /// <summary>Creates a table.</summary>
    public FeatureTable(IReadOnlyList<string> featureIds, IReadOnlyList<FeatureRow> rows, string? source = null, FeatureProvenance? provenance = null)
    {
        FeatureIds = featureIds;
        Rows = rows;
        Source = source ?? "(in memory)";
        Provenance = provenance ?? FeatureProvenance.Unknown;
    }

    /// <summary>What produced the features (unknown for files that do not record it).</summary>
    public FeatureProvenance Provenance { get; }

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
        var provenance = new FeatureProvenance(
            ReadStep(csv, path, "segmenter", SegmenterSpec.Parse),
            ReadStep(csv, path, "extractor", ExtractorSpec.Parse))
        {
            Randomization = ReadStep(csv, path, RandomizationColumn, text => text),
        };

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

        return new FeatureTable(ids, rows, path, provenance);
    }

    /// <summary>The rows with their values in the order of <paramref name="featureIds"/>, matched by id.</summary>
    /// <exception cref="ArgumentException">An id this table lacks (the message names the table and every missing id).</exception>
    public FeatureTable Select(IReadOnlyList<string> featureIds)
    {
        var binding = FeatureBinding.Create(FeatureIds, featureIds, Source);
        var rows = new List<FeatureRow>(Rows.Count);
        foreach (var row in Rows)
        {
            var values = new double[featureIds.Count];
            binding.Apply(row.Values, values);
            rows.Add(row with { Values = values });
        }

        return new FeatureTable([.. featureIds], rows, Source, Provenance);
    }

    // One value for the whole table; a column that mixes values is an error, an absent column means "not recorded".
    private static T? ReadStep<T>(CsvTable csv, string path, string column, Func<string, T> parse)
        where T : class
    {
        int col = csv.IndexOf(column);
        if (col < 0 || csv.Rows.Count == 0)
        {
            return null;
        }

        string first = csv.Rows[0][col];
        for (int r = 1; r < csv.Rows.Count; r++)
        {
            if (csv.Rows[r][col] != first)
            {
                throw new CsvFormatException(path, csv.LineNumbers[r], column,
                    $"mixes feature provenance: '{csv.Rows[r][col]}' here, '{first}' on the first row; measure one table per {column}");
            }
        }

        if (first.Length == 0)
        {
            return null;
        }

        try
        {
            return parse(first);
        }
        catch (ArgumentException e)
        {
            throw new CsvFormatException(path, csv.LineNumbers[0], column, e.Message);
        }
    }

    /// <summary>Writes the table as CSV (numbers in round-trip form), atomically: the file appears only when complete.</summary>
    public void Save(string path)
    {
        using var writer = new CsvWriter(path);
        writer.Row(Header(FeatureIds, Provenance));
        foreach (var row in Rows)
        {
            WriteRow(writer, row, Provenance);
        }

        writer.Commit();
    }

    /// <summary>The header row for the given feature ids and provenance (a randomisation adds its column).</summary>
    public static IReadOnlyList<string> Header(IReadOnlyList<string> featureIds, FeatureProvenance provenance) =>
        [.. LeadingColumns, .. provenance.Randomization is null ? Array.Empty<string>() : [RandomizationColumn], .. featureIds];

    /// <summary>Writes one row, with the provenance of the table it belongs to.</summary>
    public static void WriteRow(CsvWriter writer, FeatureRow row, FeatureProvenance provenance)
    {
        writer.Field(row.Path).Field(row.Label).Field(row.Split).Field(row.Domain).Field(row.Status).Field(row.Error)
            .Field(provenance.Segmenter?.ToString()).Field(provenance.Extractor?.ToString());
        if (provenance.Randomization is { } randomization)
        {
            writer.Field(randomization);
        }

        foreach (double v in row.Values)
        {
            writer.Field(v);
        }

        writer.EndRow();
    }
}
