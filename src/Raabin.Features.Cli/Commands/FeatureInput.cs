using Raabin.Features.Datasets;
using Raabin.Features.Measurement;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// What a user points at, as a feature table: a feature CSV (read by column name, with its recorded provenance), a
/// dataset folder or image files (measured by the library's <see cref="FeatureBatch"/>). Split and domain can be joined
/// in from a manifest by path. Every check that does not need pixels runs before the first image is read.
/// </summary>
internal static class FeatureInput
{
    /// <summary>Whether the inputs are one feature CSV.</summary>
    public static bool IsFeatureCsv(IReadOnlyList<string> inputs) =>
        inputs.Count == 1 && File.Exists(inputs[0]) && inputs[0].EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a feature CSV, joins a manifest, selects a split.</summary>
    public static FeatureTable LoadTable(string path, string? split, string? manifest)
    {
        var table = FeatureTable.Load(path);
        if (manifest is not null)
        {
            table = FeatureBatch.JoinManifest(table, manifest, CliOutput.Warn);
        }

        return split is null ? table : FeatureBatch.InSplit(table, split);
    }

    /// <summary>A dataset folder's items (one split or all), checked before any image is read.</summary>
    public static (Dataset Dataset, IReadOnlyList<DatasetItem> Items) OpenDataset(string folder, string? split)
    {
        var dataset = CliValidation.OpenDataset(folder);
        var items = dataset.InSplit(split);
        if (items.Count == 0)
        {
            throw new ArgumentException($"{dataset.Root}: no images{(split is null ? string.Empty : $" in split '{split}'")}");
        }

        return (dataset, items);
    }

    /// <summary>Measures some items of a dataset (e.g. one shard's) with <paramref name="pipeline"/>, in the order given, into a table.</summary>
    public static FeatureTable Measure(Dataset dataset, IReadOnlyList<DatasetItem> items, CellPipeline pipeline, int jobs) =>
        new(pipeline.FeatureIds, [.. MeasureRows(dataset, items, pipeline, jobs)], dataset.Root, pipeline.Provenance);

    /// <summary>
    /// Measures some items of a dataset with <paramref name="pipeline"/>, yielding rows in the order given as they finish
    /// (nothing held: see <see cref="FeatureBatch.MeasureRows"/>), with warnings and progress on stderr.
    /// </summary>
    public static IEnumerable<FeatureRow> MeasureRows(Dataset dataset, IReadOnlyList<DatasetItem> items, CellPipeline pipeline, int jobs)
    {
        var progress = ProgressReporter.OnStderr($"{dataset.Name}: measured", items.Count);
        return FeatureBatch.MeasureRows(pipeline, dataset, items, jobs, CliOutput.Warn, (done, _) => progress.Report(done));
    }

    /// <summary>Measures a dataset folder (one split or all) or image files with <paramref name="pipeline"/> into a table.</summary>
    public static FeatureTable Measure(IReadOnlyList<string> inputs, string? split, CellPipeline pipeline, int jobs)
    {
        var (rows, source) = Open(inputs, split, pipeline, jobs);
        return new(pipeline.FeatureIds, [.. rows], source, pipeline.Provenance);
    }

    /// <summary>
    /// Measures a dataset folder (one split or all) or image files with <paramref name="pipeline"/>, yielding rows in
    /// input order as they finish. Every check that does not need pixels runs in this call, before enumeration.
    /// </summary>
    public static IEnumerable<FeatureRow> MeasureRows(IReadOnlyList<string> inputs, string? split, CellPipeline pipeline, int jobs) =>
        Open(inputs, split, pipeline, jobs).Rows;

    // The rows to measure and the table's source as the library names it: the dataset's root, or "images" for files.
    private static (IEnumerable<FeatureRow> Rows, string Source) Open(IReadOnlyList<string> inputs, string? split, CellPipeline pipeline, int jobs)
    {
        if (inputs.Count == 1 && Directory.Exists(inputs[0]))
        {
            var (dataset, items) = OpenDataset(inputs[0], split);
            return (MeasureRows(dataset, items, pipeline, jobs), dataset.Root);
        }

        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                throw new ArgumentException($"{input}: give one dataset folder, or image files, not both");
            }
        }

        if (split is not null)
        {
            throw new ArgumentException("--split selects rows of a dataset folder or feature CSV, not of image files");
        }

        var progress = ProgressReporter.OnStderr("measured", inputs.Count);
        return (FeatureBatch.MeasureFileRows(pipeline, inputs, jobs, CliOutput.Warn, (done, _) => progress.Report(done)), "images");
    }
}
