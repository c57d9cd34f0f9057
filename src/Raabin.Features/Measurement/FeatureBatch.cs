using Raabin.Features.Datasets;
using Raabin.Features.IO;

namespace Raabin.Features.Measurement;

/// <summary>
/// Measuring many images into a <see cref="FeatureTable"/>: a dataset's items, or loose image files. The one place the
/// command line, the tutorials and the trainers turn images into rows; a bad image becomes a row with its status, never
/// a stopped batch, and is reported through the warning callback.
/// </summary>
public static class FeatureBatch
{
    /// <summary>
    /// Measures items of a dataset into a table (in parallel, rows in input order). The table holds the rows, i.e. about
    /// <c>8 × features + 120</c> bytes per image (the feature values and the row; its strings are shared with the dataset's
    /// listing), never pixels or masks; use <see cref="MeasureRows"/> to write rows out without holding them.
    /// </summary>
    /// <param name="pipeline">Decode, segment, measure.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="items">Its items to measure.</param>
    /// <param name="jobs">Parallel workers (0: all cores).</param>
    /// <param name="warn">Receives "path: status: reason" for every image without features.</param>
    /// <param name="progress">Receives (done, total) after each image.</param>
    /// <param name="cancellation">Stops the batch.</param>
    public static FeatureTable Measure(
        CellPipeline pipeline, Dataset dataset, IReadOnlyList<DatasetItem> items, int jobs = 0, Action<string>? warn = null,
        Action<int, int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(items);
        var rows = new List<FeatureRow>(items.Count);
        rows.AddRange(MeasureRows(pipeline, dataset, items, jobs, warn, progress, cancellation));
        return new FeatureTable(pipeline.FeatureIds, rows, dataset.Root, pipeline.Provenance);
    }

    /// <summary>
    /// Measures items of a dataset in parallel and yields their rows in input order as they finish (streaming): memory
    /// stays bounded however many items there are, since at most <see cref="OrderedParallel.DefaultWindow"/> images are
    /// in flight and nothing is kept once a row is yielded. Lazy: nothing is measured until enumeration.
    /// </summary>
    /// <param name="pipeline">Decode, segment, measure.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="items">Its items to measure.</param>
    /// <param name="jobs">Parallel workers (0: all cores).</param>
    /// <param name="warn">Receives "path: status: reason" for every image without features (on the enumerating thread).</param>
    /// <param name="progress">Receives (done, total) after each image (on the enumerating thread).</param>
    /// <param name="cancellation">Stops the batch (enumeration throws <see cref="OperationCanceledException"/>).</param>
    public static IEnumerable<FeatureRow> MeasureRows(
        CellPipeline pipeline, Dataset dataset, IReadOnlyList<DatasetItem> items, int jobs = 0, Action<string>? warn = null,
        Action<int, int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(items);
        return Rows(pipeline, dataset, items, jobs, warn, progress, cancellation);
    }

    private static IEnumerable<FeatureRow> Rows(
        CellPipeline pipeline, Dataset dataset, IReadOnlyList<DatasetItem> items, int jobs, Action<string>? warn, Action<int, int>? progress,
        CancellationToken cancellation)
    {
        int done = 0;
        foreach (var result in pipeline.ProcessAll(dataset, items, jobs, cancellation: cancellation))
        {
            if (!result.Row.IsOk)
            {
                warn?.Invoke($"{result.Row.Path}: {result.Row.Status}: {result.Row.Error}");
            }

            progress?.Invoke(++done, items.Count);
            yield return result.Row;
        }
    }

    /// <summary>Measures image files; each row's path is the file as given, label, split and domain empty.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist (named), before any image is read.</exception>
    public static FeatureTable MeasureFiles(
        CellPipeline pipeline, IReadOnlyList<string> files, int jobs = 0, Action<string>? warn = null, Action<int, int>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var rows = new List<FeatureRow>(files.Count);
        rows.AddRange(MeasureFileRows(pipeline, files, jobs, warn, progress, cancellation));
        return new FeatureTable(pipeline.FeatureIds, rows, "images", pipeline.Provenance);
    }

    /// <summary>
    /// Measures image files, yielding rows in the order given as they finish (see <see cref="MeasureRows"/>); each row's
    /// path is the file as given, label, split and domain empty.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist (named), before any image is read (thrown by this call, not by enumeration).</exception>
    public static IEnumerable<FeatureRow> MeasureFileRows(
        CellPipeline pipeline, IReadOnlyList<string> files, int jobs = 0, Action<string>? warn = null, Action<int, int>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(files);
        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file}: no such file", file);
            }
        }

        var items = files.Select(f => new DatasetItem(Path.GetFullPath(f), string.Empty, string.Empty, string.Empty, null)).ToList();
        var dataset = Dataset.FromItems(Directory.GetCurrentDirectory(), "images", items);
        return MeasureRows(pipeline, dataset, items, jobs, warn, progress, cancellation).Select((r, i) => r with { Path = files[i] });
    }

    /// <summary>
    /// Joins split and domain from a dataset manifest (<c>path,...,split,domain</c>) into a table's rows by path;
    /// <paramref name="warn"/> hears how many rows the manifest does not list.
    /// </summary>
    /// <exception cref="CsvFormatException">The manifest lacks a <c>path</c> column.</exception>
    public static FeatureTable JoinManifest(FeatureTable table, string manifest, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var csv = CsvTable.Load(manifest);
        int path = csv.RequireColumn("path");
        int split = csv.IndexOf("split");
        int domain = csv.IndexOf("domain");
        var byPath = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var r in csv.Rows)
        {
            byPath[r[path]] = r;
        }

        var joined = new List<FeatureRow>(table.Rows.Count);
        int missing = 0;
        foreach (var row in table.Rows)
        {
            if (!byPath.TryGetValue(row.Path, out var m))
            {
                missing++;
                joined.Add(row);
                continue;
            }

            joined.Add(row with
            {
                Split = split >= 0 ? m[split] : row.Split,
                Domain = domain >= 0 && m[domain].Length > 0 ? m[domain] : row.Domain,
            });
        }

        if (missing > 0)
        {
            warn?.Invoke($"{missing} feature rows have no entry in {manifest}");
        }

        return new FeatureTable(table.FeatureIds, joined, table.Source, table.Provenance);
    }

    /// <summary>The rows of one split (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The table has no split column values, or none equal to <paramref name="split"/> (the message lists those it has).</exception>
    public static FeatureTable InSplit(FeatureTable table, string split)
    {
        ArgumentNullException.ThrowIfNull(table);
        var splits = table.Rows.Select(r => r.Split).Where(s => s.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        if (splits.Count == 0)
        {
            throw new ArgumentException($"{table.Source}: has no split column; give the dataset's manifest.csv to select split '{split}'");
        }

        if (!splits.Contains(split, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{table.Source}: no split '{split}' (splits: {string.Join(", ", splits)})");
        }

        return new FeatureTable(table.FeatureIds, table.Rows.Where(r => string.Equals(r.Split, split, StringComparison.OrdinalIgnoreCase)).ToList(),
            table.Source, table.Provenance);
    }
}
