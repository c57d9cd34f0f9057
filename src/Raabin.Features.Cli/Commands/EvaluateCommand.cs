using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Raabin.Features.Datasets;
using Raabin.Features.Evaluation;
using Raabin.Features.Measurement;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin evaluate</c>: train on one dataset (or split), test on several, or leave one domain out; per-image
/// predictions, metrics with bootstrap intervals, confusion matrices and domain-shift diagnostics.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var train = new Option<string?>("--train") { Description = "Training set: DATASET_FOLDER[:SPLIT]." };
        var tests = new Option<string[]>("--test") { Description = "Test set: DATASET_FOLDER[:SPLIT] (repeatable)." };
        var lodo = new Option<string[]>("--lodo") { Description = "Leave-one-domain-out over these dataset folders (repeatable; instead of --train/--test)." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output folder: predictions.csv, metrics.json, confusion_<set>.csv, shift.csv." };
        var bootstrap = CliValidation.AtLeast(new Option<int>("--bootstrap") { DefaultValueFactory = _ => BootstrapOptions.DefaultReplicates, Description = "Bootstrap replicates for the 95 % intervals (1 or more)." }, 1);
        var seed = new Option<ulong>("--bootstrap-seed") { DefaultValueFactory = _ => BootstrapOptions.DefaultSeed, Description = "Bootstrap seed." };
        var minClass = CliValidation.AtLeast(new Option<int>("--min-class-size") { DefaultValueFactory = _ => BootstrapOptions.DefaultSmallClassThreshold, Description = "Classes with fewer test images are flagged (0 = none)." }, 0);
        var overlap = CliValidation.OneOf(new Option<string>("--overlap-check")
        {
            DefaultValueFactory = _ => "near",
            Description = "Look for test images that are also in training (a warning, recorded in metrics.json): near (same file, identical bytes, or near-duplicate by the dedup rule), exact (same file or identical bytes) or none.",
        }, "near", "exact", "none");
        var jobs = CliValidation.JobsOption();
        var svm = new SvmOptions();
        var command = new Command("evaluate",
            "Cross-domain evaluation: train on one set and test on others (or leave one domain out). A cell the segmenter " +
            "rejects counts as an error in the main numbers and is reported separately.")
        {
            train, tests, lodo, output, bootstrap, seed, minClass, overlap, jobs,
        };
        svm.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var options = svm.Read(parse) with { Probability = true };
                var bootstrapOptions = new BootstrapOptions { Replicates = parse.GetValue(bootstrap), Seed = parse.GetValue(seed), SmallClassThreshold = parse.GetValue(minClass) };
                string outDir = parse.GetValue(output)!;
                Directory.CreateDirectory(outDir);
                var runs = PlanRuns(parse.GetValue(train), parse.GetValue(tests) ?? [], parse.GetValue(lodo) ?? []);

                // Everything that can be checked without reading an image is checked before the first one is read.
                var datasets = EvaluateChecks.OpenAll(runs);
                var overlaps = EvaluateChecks.CheckOverlap(runs, datasets, parse.GetValue(overlap)!, parse.GetValue(jobs));
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var measured = MeasureAll(datasets, parse.GetValue(jobs));
                var report = new List<RunReport>();
                using var predictions = new CsvWriter(Path.Combine(outDir, "predictions.csv"));
                bool headerWritten = false;
                foreach (var run in runs)
                {
                    report.Add(Execute(run, measured, options, bootstrapOptions, outDir, predictions, ref headerWritten) with { Overlap = overlaps[run.Name] });
                }

                watch.Stop();
                predictions.Commit();
                AtomicFile.Write(Path.Combine(outDir, "metrics.json"), stream => JsonSerializer.Serialize(stream, report, EvaluationJson.Options));

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {watch.Elapsed.TotalSeconds:F1} s -> {outDir}"));
                return CliOutput.Finished(measured.Values.Sum(m => m.Rows.Count(r => !r.IsOk)));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    /// <summary>A dataset folder with an optional split.</summary>
    internal sealed record SetSpec(string Folder, string? Split)
    {
        public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Folder))) + (Split is null ? string.Empty : ":" + Split);

        public static SetSpec Parse(string text)
        {
            // DATASET[:SPLIT]; a colon inside a Windows drive letter is not a split.
            int colon = text.LastIndexOf(':');
            return colon > 1 && !Directory.Exists(text) ? new SetSpec(text[..colon], text[(colon + 1)..]) : new SetSpec(text, null);
        }
    }

    internal sealed record Run(string Name, IReadOnlyList<SetSpec> Train, IReadOnlyList<SetSpec> Tests);

    internal sealed record RunReport(
        string Run, IReadOnlyList<string> Train, TrainingSummary Training, double Gamma, int SupportVectors,
        IReadOnlyList<TestSetEvaluation> Tests, IReadOnlyList<DomainDrop> Drops)
    {
        /// <summary>Test images also found in training, per test set (empty when not checked).</summary>
        public IReadOnlyList<EvaluateChecks.OverlapSummary> Overlap { get; init; } = [];
    }

    internal sealed record DomainDrop(string Test, double AccuracyDrop, double MacroF1Drop);

    private static List<Run> PlanRuns(string? train, string[] tests, string[] lodo)
    {
        if (lodo.Length > 0)
        {
            if (train is not null || tests.Length > 0)
            {
                throw new ArgumentException("give either --lodo or --train/--test, not both");
            }

            if (lodo.Length < 2)
            {
                throw new ArgumentException("--lodo needs at least two datasets");
            }

            var specs = lodo.Select(SetSpec.Parse).ToList();
            return specs.Select(held => new Run($"lodo:{held.Name}", specs.Where(s => s != held).ToList(), [held])).ToList();
        }

        if (train is null || tests.Length == 0)
        {
            throw new ArgumentException("give --train and at least one --test (or --lodo)");
        }

        return [new Run("train:" + SetSpec.Parse(train).Name, [SetSpec.Parse(train)], tests.Select(SetSpec.Parse).ToList())];
    }

    private static Dictionary<string, (Dataset Dataset, List<FeatureRow> Rows)> MeasureAll(Dictionary<string, Dataset> datasets, int jobs)
    {
        var pipeline = CellPipeline.Reference();
        var result = new Dictionary<string, (Dataset, List<FeatureRow>)>(StringComparer.Ordinal);
        foreach (var (folder, dataset) in datasets)
        {
            var rows = FeatureBatch.Measure(pipeline, dataset, dataset.Items, jobs, CliOutput.Warn,
                (done, total) => CliOutput.Progress($"{dataset.Name}: measured", done, total)).Rows.ToList();
            int failed = rows.Count(r => !r.IsOk);
            Console.Error.WriteLine($"{dataset.Name}: {rows.Count} images, {failed} without features");
            result[folder] = (dataset, rows);
        }

        return result;
    }

    private static IEnumerable<FeatureRow> Select(Dictionary<string, (Dataset Dataset, List<FeatureRow> Rows)> measured, SetSpec spec) =>
        measured[spec.Folder].Rows.Where(r => spec.Split is null || string.Equals(r.Split, spec.Split, StringComparison.OrdinalIgnoreCase));

    private static RunReport Execute(
        Run run, Dictionary<string, (Dataset Dataset, List<FeatureRow> Rows)> measured, SvmClassifierOptions options,
        BootstrapOptions bootstrap, string outDir, CsvWriter predictions, ref bool headerWritten)
    {
        var trainRows = run.Train.SelectMany(s => Select(measured, s)).Where(r => r.IsOk && r.Values.All(double.IsFinite)).ToList();
        int skipped = run.Train.Sum(s => Select(measured, s).Count()) - trainRows.Count;
        var data = new LabelledFeatures(FeatureCatalog.ReferenceIds, trainRows.Select(r => r.Values).ToList(), trainRows.Select(r => r.Label).ToList(), trainRows.Select(r => r.Domain).ToList());
        var weights = options.ClassWeights.Where(w => data.Labels.Contains(w.Key)).ToDictionary();
        var summary = SvmClassifierTrainer.Summarise(data, string.Join("+", run.Train.Select(s => s.Name)), string.Empty, skipped);
        var model = new SvmClassifierTrainer(options with { ClassWeights = weights }).Fit(data, summary);

        if (!headerWritten)
        {
            predictions.Row(new[] { "run", "test_set", "dataset", "path", "domain", "split", "label" }.Concat(PredictionColumns.Header(model.Classes)));
            headerWritten = true;
        }

        var evaluations = new List<TestSetEvaluation>();
        Console.WriteLine();
        Console.WriteLine($"{run.Name}: trained on {data.Rows.Count} cells ({string.Join(", ", summary.RowsPerClass.Select(kv => $"{kv.Key} {kv.Value}"))}), {model.Svm.SupportVectorCount} support vectors");
        foreach (var test in run.Tests)
        {
            var cells = new List<EvaluatedCell>();
            string dataset = measured[test.Folder].Dataset.Name;
            foreach (var row in Select(measured, test))
            {
                ClassifierPrediction? p = null;
                EvaluatedCell cell;
                if (!row.IsOk || !row.Values.All(double.IsFinite))
                {
                    cell = new EvaluatedCell(dataset, row.Path, row.Domain, row.Split, row.Label, null, row.IsOk ? CellStatus.InvalidFeatures : row.Status, null, row.Error);
                }
                else
                {
                    p = model.Predict(row.Values);
                    cell = new EvaluatedCell(dataset, row.Path, row.Domain, row.Split, row.Label, p.Label, CellStatus.Ok, p.Probabilities, null);
                }

                cells.Add(cell);
                predictions.Field(run.Name).Field(test.Name).Field(cell.Dataset).Field(cell.Path).Field(cell.Domain).Field(cell.Split).Field(cell.Label);
                PredictionColumns.Write(predictions, cell.Status, p, model.Classes.Count, cell.Error);
            }

            var evaluation = DomainEvaluation.Score(test.Name, model.Classes, cells, bootstrap);
            evaluations.Add(evaluation);
            WriteConfusion(Path.Combine(outDir, $"confusion_{Safe(run.Name)}_{Safe(test.Name)}.csv"), evaluation.Metrics);
            PrintTable(evaluation, bootstrap.SmallClassThreshold);
        }

        // The first test set that shares a training dataset and split is the in-domain reference for the drops.
        var inDomain = evaluations.FirstOrDefault(e => run.Train.Any(t => run.Tests.Any(s => s.Name == e.Name && s.Folder == t.Folder)));
        var drops = inDomain is null
            ? []
            : evaluations.Where(e => e != inDomain).Select(e => new DomainDrop(e.Name, inDomain.Metrics.Accuracy - e.Metrics.Accuracy, inDomain.MacroF1 - e.MacroF1)).ToList();
        WriteShift(Path.Combine(outDir, $"shift_{Safe(run.Name)}.csv"), data, run, measured);
        return new RunReport(run.Name, run.Train.Select(s => s.Name).ToList(), summary, model.Gamma, model.Svm.SupportVectorCount, evaluations, drops);
    }

    private static void PrintTable(TestSetEvaluation e, int smallThreshold)
    {
        var m = e.Metrics;
        var ci = e.Intervals;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {e.Name}: {e.Images} cells, {e.Rejected} rejected; accuracy {m.Accuracy:F4} [{ci.Accuracy.Lower:F4}, {ci.Accuracy.Upper:F4}], " +
            $"macro-F1 {e.MacroF1:F4}, balanced accuracy {m.BalancedAccuracy:F4} [{ci.BalancedAccuracy.Lower:F4}, {ci.BalancedAccuracy.Upper:F4}], κ {m.CohenKappa:F4}, MCC {m.MatthewsCorrelation:F4}"));
        Console.WriteLine($"    {"class",-22} {"n",5} {"precision",9} {"sensitivity",11} {"F1",6} {"accuracy",8}");
        foreach (var c in m.PerClass.Where(c => c.Class != DomainEvaluation.RejectedClass))
        {
            string flag = c.Support < smallThreshold ? $"  (fewer than {smallThreshold} test images)" : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {c.Class,-22} {c.Support,5} {c.Precision,9:F4} {c.Recall,11:F4} {c.F1,6:F4} {c.OneVsRestAccuracy,8:F4}{flag}"));
        }
    }

    private static void WriteConfusion(string path, ClassificationMetrics m)
    {
        using var w = new CsvWriter(path);
        w.Row(new[] { "true\\predicted" }.Concat(m.Classes));
        for (int r = 0; r < m.Classes.Count; r++)
        {
            w.Field(m.Classes[r]);
            foreach (long v in m.ConfusionMatrix[r])
            {
                w.Field(v);
            }

            w.EndRow();
        }

        w.Commit();
    }

    private static void WriteShift(string path, LabelledFeatures train, Run run, Dictionary<string, (Dataset Dataset, List<FeatureRow> Rows)> measured)
    {
        using var w = new CsvWriter(path);
        w.Row(["test_set", "feature", "rank", "smd", "ks_statistic", "ks_pvalue", "train_mean", "test_mean", "train_sd", "test_sd"]);
        foreach (var test in run.Tests)
        {
            var testRows = Select(measured, test).Where(r => r.IsOk && r.Values.All(double.IsFinite)).ToList();
            if (testRows.Count == 0)
            {
                continue;
            }

            var shifts = DomainShift.Rank(train.FeatureIds, Columns(train.Rows, train.FeatureIds.Count), Columns(testRows.Select(r => r.Values).ToList(), train.FeatureIds.Count));
            int rank = 1;
            foreach (var s in shifts)
            {
                w.Field(test.Name).Field(s.FeatureId).Field(rank++).Field(s.StandardizedMeanDifference).Field(s.KolmogorovSmirnovStatistic)
                    .Field(s.KolmogorovSmirnovPValue).Field(s.MeanA).Field(s.MeanB).Field(s.StandardDeviationA).Field(s.StandardDeviationB).EndRow();
            }
        }

        w.Commit();
    }

    private static double[][] Columns(IReadOnlyList<double[]> rows, int featureCount)
    {
        var columns = new double[featureCount][];
        for (int f = 0; f < featureCount; f++)
        {
            columns[f] = new double[rows.Count];
            for (int r = 0; r < rows.Count; r++)
            {
                columns[f][r] = rows[r][f];
            }
        }

        return columns;
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
