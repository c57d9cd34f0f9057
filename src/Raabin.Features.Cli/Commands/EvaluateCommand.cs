using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Raabin.Features.Adaptation;
using Raabin.Features.Evaluation;
using Raabin.Features.Evaluation.CrossDomain;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin evaluate</c>: train on one dataset (or split), test on several, or leave one domain out; per-image
/// predictions, metrics with bootstrap intervals, confusion matrices and domain-shift diagnostics. The protocol is the
/// library's <see cref="CrossDomainProtocol"/>; this class reads options and writes what it returns.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var train = new Option<string?>("--train") { Description = "Training set: DATASET_FOLDER[:SPLIT]." };
        var tests = new Option<string[]>("--test") { Description = "Test set: DATASET_FOLDER[:SPLIT] (repeatable)." };
        var lodo = new Option<string[]>("--lodo") { Description = "Leave-one-domain-out over these dataset folders (repeatable; instead of --train/--test)." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output folder: predictions.csv, metrics.json, confusion_<run>_<set>.csv, shift_<run>.csv, reject_<run>.csv (coverage and accuracy per reject threshold), model_<run>.json (the model each run trained)." };
        var bootstrap = CliValidation.AtLeast(new Option<int>("--bootstrap") { DefaultValueFactory = _ => BootstrapOptions.DefaultReplicates, Description = "Bootstrap replicates for the 95 % intervals (1 or more)." }, 1);
        var seed = new Option<ulong>("--bootstrap-seed") { DefaultValueFactory = _ => BootstrapOptions.DefaultSeed, Description = "Bootstrap seed." };
        var minClass = CliValidation.AtLeast(new Option<int>("--min-class-size") { DefaultValueFactory = _ => BootstrapOptions.DefaultSmallClassThreshold, Description = "Classes with fewer test images are flagged (0 = none)." }, 0);
        var overlap = CliValidation.OneOf(new Option<string>("--overlap-check")
        {
            DefaultValueFactory = _ => "near",
            Description = "Look for test images that are also in training (a warning, recorded in metrics.json): near (same file, identical bytes, or near-duplicate by the dedup rule), exact (same file or identical bytes) or none.",
        }, "near", "exact", "none");
        var allowDamaged = new Option<bool>("--allow-damaged") { Description = "Measure damaged images (e.g. truncated JPEGs) instead of counting them as rejected." };
        var jobs = CliValidation.JobsOption();
        var transductive = new Option<string>("--transductive")
        {
            DefaultValueFactory = _ => "none",
            Description = "Transductive standardisation: train on per-domain standardised features and standardise each test domain with its own statistics: none, domain or class-balanced.",
        };
        var minBatch = CliValidation.AtLeast(new Option<int>("--min-batch") { DefaultValueFactory = _ => TransductiveOptions.DefaultMinimumBatch, Description = "Fewest cells per test domain for --transductive." }, 2);
        var fewShot = new Option<string?>("--few-shot")
        {
            Description = "Simulate adaptation with K labelled cells per class of each test set not trained on (comma-separated K values, e.g. 5,20): seeded draws, " +
                "`raabin adapt`'s method choice, scored on the cells not drawn; mean ± SD in metrics.json (fewShot).",
        };
        var draws = CliValidation.AtLeast(new Option<int>("--draws") { DefaultValueFactory = _ => new FewShotSimulationOptions().Draws, Description = "Draws per K for --few-shot." }, 1);
        var randomise = new Option<bool>("--randomise") { Description = "Also train on randomised copies of the training images (domain randomisation; recorded in the model)." };
        var copies = CliValidation.AtLeast(new Option<int>("--randomised-copies") { DefaultValueFactory = _ => 1, Description = "Randomised copies per training image with --randomise." }, 1);
        var randomiseSeed = new Option<int>("--randomise-seed") { DefaultValueFactory = _ => 0, Description = "Seed of the first randomised copy (copy c uses seed + c)." };
        var randomisation = new Option<string?>("--randomisation") { Description = "The randomisation's distributions (as `features --randomisation`); default: the study's." };
        var svm = new SvmOptions();
        var rejectOutside = TrainCommand.RejectOutsideOption();
        var trainerChoice = new TrainerOptions();
        var pipeline = new PipelineOptions();
        var command = new Command("evaluate",
            "Cross-domain evaluation: train on one set and test on others (or leave one domain out). A cell the segmenter " +
            "rejects counts as an error in the main numbers and is reported separately. Training and scoring need every image's features, so " +
            "they are held (about 8 bytes per feature plus 120 per image, e.g. ~60 MB for 100,000 images with the 51 reference features); " +
            "pixels and masks are not: images are measured a few at a time.")
        {
            train, tests, lodo, output, bootstrap, seed, minClass, overlap, allowDamaged, transductive, minBatch, fewShot, draws, randomise, copies, randomiseSeed, randomisation, jobs,
        };
        svm.AddTo(command);
        command.Options.Add(rejectOutside);
        trainerChoice.AddTo(command);
        command.Options.Add(pipeline.Segmenter);
        command.Options.Add(pipeline.Weight);
        pipeline.Extractor.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var segmenter = pipeline.ReadSegmenter(parse).Spec;
                var extractor = pipeline.Extractor.Read(parse) ?? Measurement.ExtractorSpec.Reference;
                ExtractorOptions.CheckSteps(segmenter, extractor);
                var options = new CrossDomainOptions
                {
                    Segmenter = segmenter,
                    Extractor = extractor,
                    Classifier = svm.Read(parse) with { Probability = true },
                    ExternalTrainer = trainerChoice.Read(parse, parse.GetValue(svm.Seed), svm.KernelSvmOnly),
                    RejectOutsideQuantile = parse.GetValue(rejectOutside),
                    Bootstrap = new BootstrapOptions { Replicates = parse.GetValue(bootstrap), Seed = parse.GetValue(seed), SmallClassThreshold = parse.GetValue(minClass) },
                    OverlapCheck = Enum.Parse<OverlapCheck>(parse.GetValue(overlap)!, ignoreCase: true),
                    MeasureDamaged = parse.GetValue(allowDamaged),
                    Jobs = parse.GetValue(jobs),
                    Transductive = new TransductiveOptions { Mode = TransductiveOptions.ParseMode(parse.GetValue(transductive)!), MinimumBatch = parse.GetValue(minBatch) },
                    Randomization = !parse.GetValue(randomise) ? null
                        : parse.GetValue(randomisation) is { } spec ? Augmentation.DomainRandomizationOptions.Parse(spec) : Augmentation.DomainRandomizationOptions.Default,
                    RandomizedCopies = parse.GetValue(copies),
                    RandomizationSeed = parse.GetValue(randomiseSeed),
                };
                if (!parse.GetValue(randomise) && (parse.GetValue(randomisation) is not null || parse.GetResult(copies) is { Implicit: false } || parse.GetResult(randomiseSeed) is { Implicit: false }))
                {
                    throw new ArgumentException("--randomisation, --randomised-copies and --randomise-seed go with --randomise");
                }
                var shots = CliValidation.WholeNumbers("--few-shot", parse.GetValue(fewShot), minimum: 1);
                var simulation = new FewShotSimulationOptions { Draws = parse.GetValue(draws), SmallClassThreshold = options.Bootstrap.SmallClassThreshold };
                string outDir = parse.GetValue(output)!;
                var protocol = new CrossDomainProtocol(CrossDomainProtocol.Plan(parse.GetValue(train), parse.GetValue(tests) ?? [], parse.GetValue(lodo) ?? []), options);

                // Everything that can be checked without reading an image is checked before the first one is read.
                protocol.Open(CliOutput.Warn);
                var overlaps = protocol.CheckOverlap(CliOutput.Warn);
                Directory.CreateDirectory(outDir);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                protocol.Measure(CliOutput.Warn, (name, done, total) => CliOutput.Progress($"{name}: measured", done, total));
                foreach (var table in protocol.Measured.Values)
                {
                    Console.Error.WriteLine($"{Path.GetFileName(table.Source)}: {table.Rows.Count} images, {table.Rows.Count(r => !r.IsOk)} without features");
                }

                var report = new List<RunReport>();
                using var predictions = new CsvWriter(Path.Combine(outDir, "predictions.csv"));
                bool headerWritten = false;
                foreach (var run in protocol.Runs)
                {
                    var result = protocol.Execute(run, CliOutput.Warn);
                    if (!headerWritten)
                    {
                        predictions.Row(new[] { "run", "test_set", "dataset", "path", "domain", "split", "label" }.Concat(PredictionColumns.Header(result.Model.Classes)));
                        headerWritten = true;
                    }

                    report.Add(Write(result, outDir, predictions, options.Bootstrap.SmallClassThreshold) with
                    {
                        Overlap = overlaps[run.Name],
                        Transductive = TransductiveOptions.Name(options.Transductive.Mode),
                        DomainSteps = result.Model.Domain.ToString(),
                        FewShot = SimulateFewShot(result, shots, simulation),
                    });
                }

                watch.Stop();
                predictions.Commit();
                AtomicFile.Write(Path.Combine(outDir, "metrics.json"), stream => JsonSerializer.Serialize(stream, report, EvaluationJson.Options));

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {watch.Elapsed.TotalSeconds:F1} s -> {outDir}"));
                return CliOutput.Finished(protocol.Measured.Values.Sum(t => t.Rows.Count(r => !r.IsOk)));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    /// <summary>One run as written to <c>metrics.json</c>.</summary>
    internal sealed record RunReport(
        string Run, IReadOnlyList<string> Train, TrainingSummary Training, double? Gamma, int? SupportVectors,
        IReadOnlyList<TestSetEvaluation> Tests, IReadOnlyList<DomainDrop> Drops)
    {
        /// <summary>The classifier's trainer: <c>kernel-svm</c> or an ML.NET trainer's name.</summary>
        public string Trainer { get; init; } = TrainerOptions.KernelSvm;

        /// <summary>An ML.NET trainer's engine and settings (null for the kernel SVM, whose settings are Gamma and the options).</summary>
        public string? TrainerSettings { get; init; }

        /// <summary>Wall time of fitting the model, seconds.</summary>
        public double TrainingSeconds { get; init; }

        /// <summary>Test images also found in training, per test set (empty when not checked).</summary>
        public IReadOnlyList<OverlapSummary> Overlap { get; init; } = [];

        /// <summary>The segmenter that measured every image, with its options.</summary>
        public string Segmenter { get; init; } = string.Empty;

        /// <summary>The feature extractor, with its version and options.</summary>
        public string Extractor { get; init; } = string.Empty;

        /// <summary>How the model chose labels.</summary>
        public string DecisionRule { get; init; } = string.Empty;

        /// <summary>What the model did about domains (randomised copies, per-domain standardisation), or "none".</summary>
        public string DomainSteps { get; init; } = "none";

        /// <summary>The transductive standardisation of the test domains (none, domain, class-balanced).</summary>
        public string Transductive { get; init; } = "none";

        /// <summary>Simulated few-shot adaptation per test set not trained on and K (empty without --few-shot).</summary>
        public IReadOnlyList<FewShotSummary> FewShot { get; init; } = [];
    }

    // Every test set whose folder the run did not train on, for each K; printed and returned for metrics.json.
    private static List<FewShotSummary> SimulateFewShot(RunResult result, IReadOnlyList<int> shots, FewShotSimulationOptions options)
    {
        var summaries = new List<FewShotSummary>();
        foreach (var test in result.Tests.Where(t => !result.Run.Train.Any(s => s.Folder == t.Set.Folder)))
        {
            var cells = test.Cells.Select((c, i) => new FewShotCell(c.Path, c.Label, test.Features[i])).ToList();
            foreach (int k in shots)
            {
                var s = FewShotSimulation.Run(result.Model, test.Set.Name, cells, k, options);
                summaries.Add(s);
                Console.WriteLine(FormattableString.Invariant(
                    $"  {s.TestSet}, few-shot k = {k} ({s.Draws} draws, {s.Scored} cells scored each): F1 over classes with ≥ {options.SmallClassThreshold} cells {s.F1Large.Mean:F4} ± {s.F1Large.Sd:F4}, ") +
                    FormattableString.Invariant($"macro-F1 {s.MacroF1.Mean:F4} ± {s.MacroF1.Sd:F4}, accuracy {s.Accuracy.Mean:F4} ± {s.Accuracy.Sd:F4}; methods chosen: {s.Methods}"));
            }
        }

        return summaries;
    }

    private static RunReport Write(RunResult result, string outDir, CsvWriter predictions, int smallThreshold)
    {
        var run = result.Run;
        var model = result.Model;
        var curves = new List<(string Test, IReadOnlyList<RejectPoint> Points)>();
        var training = model.Training;
        Console.WriteLine();
        Console.WriteLine($"{run.Name}: trained on {training.Rows} cells ({string.Join(", ", training.RowsPerClass.Select(kv => $"{kv.Key} {kv.Value}"))}), " +
            (model.Classifier.External is { } e ? $"{e.Engine} {e.Trainer} ({e.Settings})" : $"{model.Classifier.Svm.SupportVectorCount} support vectors") +
            string.Create(CultureInfo.InvariantCulture, $", trained in {result.TrainingSeconds:F2} s"));
        foreach (var test in result.Tests)
        {
            for (int i = 0; i < test.Cells.Count; i++)
            {
                var cell = test.Cells[i];
                predictions.Field(run.Name).Field(test.Set.Name).Field(cell.Dataset).Field(cell.Path).Field(cell.Domain).Field(cell.Split).Field(cell.Label);
                PredictionColumns.Write(predictions, cell.Status, test.Predictions[i], model.Classes.Count, cell.Error);
            }

            WriteConfusion(Path.Combine(outDir, $"confusion_{Safe(run.Name)}_{Safe(test.Set.Name)}.csv"), test.Evaluation.Metrics);
            PrintTable(test.Evaluation, smallThreshold);
            curves.Add((test.Set.Name, RejectCurve.Of(test.Cells.Select((c, i) => (c.Label, c.Predicted, test.Predictions[i]?.Probability)).ToList())));
        }

        // The model each run trained, so predictions can be explained and reproduced (`raabin report` finds it here).
        model.Save(Path.Combine(outDir, $"model_{Safe(run.Name)}.json"));
        WriteShift(Path.Combine(outDir, $"shift_{Safe(run.Name)}.csv"), result.Shift);
        WriteRejectCurves(Path.Combine(outDir, $"reject_{Safe(run.Name)}.csv"), curves);
        var external = model.Classifier.External;
        return new RunReport(run.Name, run.Train.Select(s => s.Name).ToList(), training, external is null ? model.Classifier.Gamma : null,
            external is null ? model.Classifier.Svm.SupportVectorCount : null, result.Tests.Select(t => t.Evaluation).ToList(), result.Drops)
        {
            Trainer = external?.Trainer ?? TrainerOptions.KernelSvm,
            TrainerSettings = external is null ? null : $"{external.Engine}: {external.Settings}",
            TrainingSeconds = result.TrainingSeconds,
            Segmenter = model.Segmenter.ToString(),
            Extractor = model.Extractor.ToString(),
            DecisionRule = PredictionColumns.RuleName(model.DecisionRule),
        };
    }

    private static void PrintTable(TestSetEvaluation e, int smallThreshold)
    {
        var m = e.Metrics;
        var ci = e.Intervals;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {e.Name}: {e.Images} cells, {e.Rejected} rejected; accuracy {m.Accuracy:F4} [{ci.Accuracy.Lower:F4}, {ci.Accuracy.Upper:F4}], " +
            $"macro-F1 {e.MacroF1:F4} (over classes with ≥ {smallThreshold} images: {e.MacroF1OverLargeClasses:F4}), balanced accuracy {m.BalancedAccuracy:F4} [{ci.BalancedAccuracy.Lower:F4}, {ci.BalancedAccuracy.Upper:F4}], κ {m.CohenKappa:F4}, MCC {m.MatthewsCorrelation:F4}"));
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

    // Coverage and accuracy of the reject rule at each threshold, per test set: where a lab would set `train --reject-below`.
    private static void WriteRejectCurves(string path, List<(string Test, IReadOnlyList<RejectPoint> Points)> curves)
    {
        using var w = new CsvWriter(path);
        w.Row(["test_set", "threshold", "coverage", "accuracy_of_labelled", "labelled"]);
        foreach (var (test, points) in curves)
        {
            foreach (var p in points)
            {
                w.Field(test).Field(p.Threshold).Field(p.Coverage).Field(p.Accuracy).Field(p.Kept).EndRow();
            }
        }

        w.Commit();
    }

    private static void WriteShift(string path, IReadOnlyList<ShiftRow> shift)
    {
        using var w = new CsvWriter(path);
        w.Row(["test_set", "feature", "rank", "smd", "ks_statistic", "ks_pvalue", "train_mean", "test_mean", "train_sd", "test_sd"]);
        foreach (var row in shift)
        {
            var s = row.Shift;
            w.Field(row.Test).Field(s.FeatureId).Field(row.Rank).Field(s.StandardizedMeanDifference).Field(s.KolmogorovSmirnovStatistic)
                .Field(s.KolmogorovSmirnovPValue).Field(s.MeanA).Field(s.MeanB).Field(s.StandardDeviationA).Field(s.StandardDeviationB).EndRow();
        }

        w.Commit();
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
