using Raabin.Features.Datasets;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// What <c>raabin evaluate</c> checks before it reads the first image: every dataset folder opens, every split exists
/// and is not empty, test classes the training set lacks, and test images that are also in training (leakage).
/// </summary>
internal static class EvaluateChecks
{
    /// <summary>How many shared images a warning lists.</summary>
    private const int Examples = 3;

    /// <summary>Test images of one test set also found in training (as recorded in <c>metrics.json</c>).</summary>
    internal sealed record OverlapSummary(
        string Test, string Check, int TrainImages, int TestImages, int SharedImages, int SameFile, int IdenticalBytes, int NearDuplicate,
        IReadOnlyList<SharedImage> Examples);

    /// <summary>
    /// Opens every dataset folder the runs name (in order of first mention) and checks that every set's split exists and
    /// holds images; warns about test classes the training sets do not have.
    /// </summary>
    /// <exception cref="ArgumentException">A split is unknown or a set is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    public static Dictionary<string, Dataset> OpenAll(IReadOnlyList<EvaluateCommand.Run> runs)
    {
        var datasets = new Dictionary<string, Dataset>(StringComparer.Ordinal);
        foreach (var spec in runs.SelectMany(r => r.Train.Concat(r.Tests)))
        {
            if (!datasets.TryGetValue(spec.Folder, out var dataset))
            {
                dataset = CliValidation.OpenDataset(spec.Folder);
                datasets[spec.Folder] = dataset;
            }

            if (dataset.InSplit(spec.Split).Count == 0)
            {
                throw new ArgumentException($"{spec.Name}: no images");
            }
        }

        foreach (var run in runs)
        {
            var trainClasses = run.Train.SelectMany(s => Items(datasets, s)).Select(i => i.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var test in run.Tests)
            {
                CliValidation.WarnUnknownClasses($"{run.Name}: test set {test.Name}", trainClasses, Items(datasets, test).Select(i => i.Label));
            }
        }

        return datasets;
    }

    /// <summary>
    /// Looks for test images that are also training images (same file, identical bytes, or near-duplicates when
    /// <paramref name="check"/> is <c>near</c>), warns with counts and a few examples, and returns the summaries per run.
    /// </summary>
    public static Dictionary<string, IReadOnlyList<OverlapSummary>> CheckOverlap(
        IReadOnlyList<EvaluateCommand.Run> runs, Dictionary<string, Dataset> datasets, string check, int jobs)
    {
        var result = new Dictionary<string, IReadOnlyList<OverlapSummary>>(StringComparer.Ordinal);
        if (check == "none")
        {
            foreach (var run in runs)
            {
                result[run.Name] = [];
            }

            return result;
        }

        var finder = new OverlapFinder(new OverlapOptions { NearDuplicates = check == "near", Jobs = jobs });
        foreach (var run in runs)
        {
            var train = run.Train.Select(s => new DatasetSelection(datasets[s.Folder], Items(datasets, s))).ToList();
            var summaries = new List<OverlapSummary>();
            foreach (var test in run.Tests)
            {
                var report = finder.Find(train, [new DatasetSelection(datasets[test.Folder], Items(datasets, test))]);
                var summary = new OverlapSummary(
                    test.Name, check, report.TrainImages, report.TestImages, report.Shared.Count, report.Count(OverlapKind.SameFile),
                    report.Count(OverlapKind.IdenticalBytes), report.Count(OverlapKind.NearDuplicate), report.Shared.Take(Examples).ToList());
                summaries.Add(summary);
                if (summary.SharedImages > 0)
                {
                    CliOutput.Warn(
                        $"{run.Name}: {summary.SharedImages} of {summary.TestImages} images of test set {test.Name} are also in training " +
                        $"({summary.SameFile} same file, {summary.IdenticalBytes} byte-identical, " +
                        $"{(check == "near" ? $"{summary.NearDuplicate} near-duplicate" : "near-duplicates not checked")}); " +
                        "its scores are not a held-out estimate. E.g. " +
                        string.Join("; ", summary.Examples.Select(e => $"{e.TestDataset}/{e.TestPath} = {e.TrainDataset}/{e.TrainPath} ({Describe(e.Kind)})")));
                }
            }

            result[run.Name] = summaries;
        }

        return result;
    }

    private static string Describe(OverlapKind kind) => kind switch
    {
        OverlapKind.SameFile => "same file",
        OverlapKind.IdenticalBytes => "byte-identical",
        _ => "near-duplicate",
    };

    private static IReadOnlyList<DatasetItem> Items(Dictionary<string, Dataset> datasets, EvaluateCommand.SetSpec spec) =>
        datasets[spec.Folder].InSplit(spec.Split);
}
