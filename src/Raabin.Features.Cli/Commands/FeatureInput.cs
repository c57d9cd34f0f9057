using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.IO;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// Feature rows from what a user points at: a feature CSV (read by column name), a dataset folder (segmented and
/// measured here), or image files. Split and domain can be joined in from a manifest by path.
/// </summary>
internal static class FeatureInput
{
    /// <summary>Loads rows; throws with a message naming the input on any problem.</summary>
    public static (IReadOnlyList<FeatureRow> Rows, IReadOnlyList<string> FeatureIds, string Source) Load(
        IReadOnlyList<string> inputs, string? split, string? manifest, CellPipeline pipeline, IReadOnlyList<string>? requiredIds, int jobs)
    {
        if (inputs.Count == 1 && File.Exists(inputs[0]) && inputs[0].EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var table = FeatureTable.Load(inputs[0], requiredIds);
            IReadOnlyList<FeatureRow> rows = table.Rows;
            if (manifest is not null)
            {
                rows = JoinManifest(rows, manifest);
            }

            if (split is not null)
            {
                if (rows.All(r => r.Split.Length == 0))
                {
                    throw new ArgumentException($"{inputs[0]}: has no split column; give --manifest with the dataset's manifest.csv to select split '{split}'");
                }

                Dataset.RequireSplit(Path.GetFileName(inputs[0]), rows.Select(r => r.Split), split);
                rows = rows.Where(r => string.Equals(r.Split, split, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            return (rows, table.FeatureIds, Path.GetFileName(inputs[0]));
        }

        if (inputs.Count == 1 && Directory.Exists(inputs[0]))
        {
            var dataset = CliValidation.OpenDataset(inputs[0]);
            var items = dataset.InSplit(split);
            return (Measure(dataset, items, pipeline, jobs), pipeline.FeatureIds, dataset.Name);
        }

        // Image files: each its own item, unlabelled, path as given.
        var files = new List<DatasetItem>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                throw new ArgumentException($"{input}: give one dataset folder, or image files, not both");
            }

            if (!File.Exists(input))
            {
                throw new FileNotFoundException($"{input}: no such file");
            }

            files.Add(new DatasetItem(Path.GetFullPath(input), string.Empty, string.Empty, string.Empty, null));
        }

        var root = Dataset.FromItems(Directory.GetCurrentDirectory(), "images", files);
        var measured = Measure(root, files, pipeline, jobs);
        return (measured.Select((r, i) => r with { Path = inputs[i] }).ToList(), pipeline.FeatureIds, "images");
    }

    /// <summary>Measures items of a dataset, warning on stderr about every image without features.</summary>
    internal static List<FeatureRow> Measure(Dataset dataset, IReadOnlyList<DatasetItem> items, CellPipeline pipeline, int jobs)
    {
        var rows = new List<FeatureRow>(items.Count);
        foreach (var result in pipeline.ProcessAll(dataset, items, jobs))
        {
            rows.Add(result.Row);
            if (!result.Row.IsOk)
            {
                CliOutput.Warn($"{result.Row.Path}: {result.Row.Status}: {result.Row.Error}");
            }

            CliOutput.Progress($"{dataset.Name}: measured", rows.Count, items.Count);
        }

        return rows;
    }

    private static List<FeatureRow> JoinManifest(IReadOnlyList<FeatureRow> rows, string manifest)
    {
        var table = CsvTable.Load(manifest);
        int path = table.RequireColumn("path");
        int split = table.IndexOf("split");
        int domain = table.IndexOf("domain");
        var byPath = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var r in table.Rows)
        {
            byPath[r[path]] = r;
        }

        var joined = new List<FeatureRow>(rows.Count);
        int missing = 0;
        foreach (var row in rows)
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
            CliOutput.Warn($"{missing} feature rows have no entry in {manifest}");
        }

        return joined;
    }
}
