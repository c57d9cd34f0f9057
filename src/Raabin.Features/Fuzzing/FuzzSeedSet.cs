using Raabin.Features.Datasets;
using Raabin.Features.Import;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Fuzzing;

/// <summary>
/// Builds seed sets from real files: every image in a folder, and this repository's text inputs (score fixtures with
/// the importer options each needs, model files, and feature tables measured from sample images).
/// </summary>
public static class FuzzSeedSet
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"];

    /// <summary>
    /// Every image file under <paramref name="folder"/> (recursively, sorted by relative path, ordinal), named by that path.
    /// </summary>
    public static IReadOnlyList<FuzzSeed> Images(string folder)
    {
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(f => (Full: f, Name: Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => FuzzSeed.Image(f.Full, f.Name))
            .ToList();
    }

    /// <summary>
    /// The score files in <paramref name="importFixtures"/> (the repository's <c>Fixtures/Import</c>: <c>.csv</c>,
    /// <c>.json</c> and <c>.jsonl</c> score tables, not the class maps, published tables or expected outputs), each with
    /// the options its layout needs: the class map <c>classes.txt</c> for timm and bare-column files, logits for
    /// <c>logits.csv</c>, spread-uniform for the top-2 file.
    /// </summary>
    public static IReadOnlyList<FuzzSeed> ScoreFiles(string importFixtures)
    {
        var map = ClassMap.Load(Path.Combine(importFixtures, "classes.txt"));
        var seeds = new List<FuzzSeed>();
        foreach (string file in Directory.EnumerateFiles(importFixtures).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (Path.GetExtension(name) is not (".csv" or ".json" or ".jsonl")
                || name.StartsWith("class", StringComparison.Ordinal) || name.StartsWith("raabin-wbc", StringComparison.Ordinal)
                || name.EndsWith(".expected.json", StringComparison.Ordinal))
            {
                continue;
            }

            var options = name switch
            {
                "logits.csv" => new ScoreImportOptions { Values = ScoreValueKind.Logits },
                "timm-top2.csv" => new ScoreImportOptions { ClassMap = map, MissingMass = MissingMassPolicy.SpreadUniform },
                _ when name.StartsWith("timm", StringComparison.Ordinal) || name.StartsWith("bare", StringComparison.Ordinal) => new ScoreImportOptions { ClassMap = map },
                _ => new ScoreImportOptions(),
            };
            seeds.Add(new FuzzSeed(name, File.ReadAllBytes(file), FuzzTarget.Scores, options));
        }

        return seeds;
    }

    /// <summary>Model files, read whole.</summary>
    public static IReadOnlyList<FuzzSeed> Models(IEnumerable<string> modelFiles) =>
        modelFiles.Select(f => new FuzzSeed(Path.GetFileName(f), File.ReadAllBytes(f), FuzzTarget.Model)).ToList();

    /// <summary>Feature CSVs given as files (e.g. a reference-style table).</summary>
    public static IReadOnlyList<FuzzSeed> FeatureFiles(IEnumerable<string> csvFiles) =>
        csvFiles.Select(f => new FuzzSeed(Path.GetFileName(f), File.ReadAllBytes(f), FuzzTarget.FeatureTable)).ToList();

    /// <summary>
    /// Two feature CSVs as <c>raabin features</c> writes them (provenance columns included): the reference pipeline's and
    /// od-cell/od-groups', measured from <paramref name="images"/> (full paths; one row each, any status).
    /// </summary>
    public static IReadOnlyList<FuzzSeed> MeasuredFeatureTables(IReadOnlyList<string> images)
    {
        var seeds = new List<FuzzSeed>();
        string work = Path.Combine(Path.GetTempPath(), "raabin-fuzz-seeds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var pipelines = new[]
            {
                ("features-reference.csv", CellPipeline.Reference()),
                ("features-od-groups.csv", CellPipeline.From(SegmenterSpec.Of(OdCellSegmenter.MethodName), ExtractorSpec.OdGroups)),
            };
            foreach (var (name, pipeline) in pipelines)
            {
                var rows = images.Select(p => pipeline.Process(p, new DatasetItem(Path.GetFileName(p), "cell", "train", "sample", null)).Row).ToList();
                string path = Path.Combine(work, name);
                new FeatureTable(pipeline.FeatureIds, rows, path, pipeline.Provenance).Save(path);
                seeds.Add(new FuzzSeed(name, File.ReadAllBytes(path), FuzzTarget.FeatureTable));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return seeds;
    }
}
