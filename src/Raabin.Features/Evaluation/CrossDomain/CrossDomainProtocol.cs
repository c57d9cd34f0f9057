using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Evaluation.CrossDomain;

/// <summary>A dataset folder with an optional split: <c>DATASET_FOLDER[:SPLIT]</c>.</summary>
/// <param name="Folder">The dataset folder.</param>
/// <param name="Split">The split, or null for every item.</param>
public sealed record EvaluationSet(string Folder, string? Split)
{
    /// <summary>The folder's name, then <c>:SPLIT</c> when a split is chosen (e.g. <c>pbc:test</c>).</summary>
    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Folder))) + (Split is null ? string.Empty : ":" + Split);

    /// <summary>Parses <c>DATASET_FOLDER[:SPLIT]</c>; a colon of a Windows drive letter, or of an existing folder's name, is not a split.</summary>
    public static EvaluationSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        return colon > 1 && !Directory.Exists(text) ? new EvaluationSet(text[..colon], text[(colon + 1)..]) : new EvaluationSet(text, null);
    }
}

/// <summary>One training and its test sets.</summary>
/// <param name="Name"><c>train:SET</c> or <c>lodo:SET</c>.</param>
/// <param name="Train">The sets trained on (together).</param>
/// <param name="Tests">The sets tested on, each scored on its own.</param>
public sealed record EvaluationRun(string Name, IReadOnlyList<EvaluationSet> Train, IReadOnlyList<EvaluationSet> Tests);

/// <summary>How much to look for test images that are also training images.</summary>
public enum OverlapCheck
{
    /// <summary>Do not look.</summary>
    None,

    /// <summary>The same file, or byte-identical files (SHA-256).</summary>
    Exact,

    /// <summary>As <see cref="Exact"/>, plus near-duplicates by the duplicate finder's rule (decodes every image once more).</summary>
    Near,
}

/// <summary>Settings of <see cref="CrossDomainProtocol"/>; the defaults are the published method's.</summary>
public sealed record CrossDomainOptions
{
    /// <summary>The classifier trained in every run (probabilities are always fitted: the evaluation scores them).</summary>
    public SvmClassifierOptions Classifier { get; init; } = new();

    /// <summary>
    /// Another engine's trainer in place of the kernel SVM (see <see cref="Pipeline.PipelineTrainerOptions.ExternalTrainer"/>),
    /// or null (the default) for the kernel SVM.
    /// </summary>
    public IExternalClassifierTrainer? ExternalTrainer { get; init; }

    /// <summary>
    /// Reject cells outside the training distribution at this quantile (see <see cref="Pipeline.OutOfDistributionRule"/>),
    /// or null (the default) for no such rule. Rejected cells count as errors in the main numbers, like segmentation failures.
    /// </summary>
    public double? RejectOutsideQuantile { get; init; }

    /// <summary>Bootstrap intervals.</summary>
    public BootstrapOptions Bootstrap { get; init; } = new();

    /// <summary>The segmenter that measures every image.</summary>
    public SegmenterSpec Segmenter { get; init; } = SegmenterSpec.Reference;

    /// <summary>The feature extractor.</summary>
    public ExtractorSpec Extractor { get; init; } = ExtractorSpec.Reference;

    /// <summary>Whether damaged images are measured anyway (see <see cref="CellPipeline.MeasureDamaged"/>).</summary>
    public bool MeasureDamaged { get; init; }

    /// <summary>The leakage check run before measuring.</summary>
    public OverlapCheck OverlapCheck { get; init; } = OverlapCheck.Near;

    /// <summary>Parallel workers (0: one per core).</summary>
    public int Jobs { get; init; }

    /// <summary>
    /// Transductive standardisation of each test set's domains (default none). When on, the model is trained on per-domain
    /// standardised features (<see cref="Pipeline.PipelineTrainerOptions.PerDomainStandardization"/>) and each test domain is
    /// standardised with its own statistics (<see cref="TransductiveStandardization"/>).
    /// </summary>
    public TransductiveOptions Transductive { get; init; } = new();

    /// <summary>
    /// Training-time domain randomisation: each training image is also measured as <see cref="RandomizedCopies"/>
    /// randomised copies drawn from these distributions, trained on beside it and recorded in the model; null (the
    /// default) trains on the images as they are.
    /// </summary>
    public Augmentation.DomainRandomizationOptions? Randomization { get; init; }

    /// <summary>Randomised copies per training image (default 1); copy c uses seed <see cref="RandomizationSeed"/> + c.</summary>
    public int RandomizedCopies { get; init; } = 1;

    /// <summary>Seed of the first randomised copy (default 0).</summary>
    public int RandomizationSeed { get; init; }
}

/// <summary>Test images of one test set also found in training (as recorded in <c>metrics.json</c>).</summary>
/// <param name="Test">The test set.</param>
/// <param name="Check">The check run (<c>exact</c> or <c>near</c>).</param>
/// <param name="TrainImages">Training images compared.</param>
/// <param name="TestImages">Test images compared.</param>
/// <param name="SharedImages">Test images found in training.</param>
/// <param name="SameFile">Of them, the same file.</param>
/// <param name="IdenticalBytes">Of them, byte-identical files.</param>
/// <param name="NearDuplicate">Of them, near-duplicates.</param>
/// <param name="Examples">A few of them.</param>
public sealed record OverlapSummary(
    string Test, string Check, int TrainImages, int TestImages, int SharedImages, int SameFile, int IdenticalBytes, int NearDuplicate,
    IReadOnlyList<SharedImage> Examples);

/// <summary>One test set's cells, decisions and scores.</summary>
/// <param name="Set">The test set.</param>
/// <param name="Cells">Every image with its prediction or the reason there is none.</param>
/// <param name="Predictions">The classifier's decision per cell (null when not classified), same order as <paramref name="Cells"/>.</param>
/// <param name="Evaluation">Metrics with bootstrap intervals.</param>
public sealed record TestSetResult(EvaluationSet Set, IReadOnlyList<EvaluatedCell> Cells, IReadOnlyList<ClassifierPrediction?> Predictions, TestSetEvaluation Evaluation)
{
    /// <summary>Each cell's raw features in the model's order (null when it has none), same order as <see cref="Cells"/>.</summary>
    public IReadOnlyList<double[]?> Features { get; init; } = [];
}

/// <summary>How much a test set lost against the run's in-domain test set.</summary>
/// <param name="Test">The test set.</param>
/// <param name="AccuracyDrop">In-domain accuracy minus this set's.</param>
/// <param name="MacroF1Drop">In-domain macro-F1 minus this set's.</param>
public sealed record DomainDrop(string Test, double AccuracyDrop, double MacroF1Drop);

/// <summary>One feature's shift between the training rows and one test set.</summary>
/// <param name="Test">The test set.</param>
/// <param name="Rank">1 = largest |SMD|.</param>
/// <param name="Shift">The statistics.</param>
public sealed record ShiftRow(string Test, int Rank, FeatureShift Shift);

/// <summary>Everything one run produced.</summary>
/// <param name="Run">The run.</param>
/// <param name="Model">The model trained on the run's training sets (every step recorded).</param>
/// <param name="Tests">Per test set.</param>
/// <param name="Drops">Drops against the in-domain test set (empty when there is none).</param>
/// <param name="Shift">Per test set, every feature ranked by |SMD| against the training rows.</param>
public sealed record RunResult(EvaluationRun Run, PipelineModel Model, IReadOnlyList<TestSetResult> Tests, IReadOnlyList<DomainDrop> Drops, IReadOnlyList<ShiftRow> Shift)
{
    /// <summary>Wall time of fitting the model (normaliser, classifier, statistics), seconds.</summary>
    public double TrainingSeconds { get; init; }
}

/// <summary>
/// The cross-domain protocol: train on some sets and test on others (or leave one domain out), with the checks that
/// need no pixels done first. <see cref="Open"/> (folders, splits, classes), <see cref="CheckOverlap"/> (leakage),
/// <see cref="Measure"/> (every image once), then <see cref="Execute"/> per run. The command line writes what it returns.
/// </summary>
public sealed class CrossDomainProtocol
{
    private const int OverlapExamples = 3;
    private readonly Dictionary<string, Dataset> _datasets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FeatureTable> _measured = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<FeatureTable>> _randomized = new(StringComparer.Ordinal);

    /// <summary>Creates the protocol for planned runs.</summary>
    public CrossDomainProtocol(IReadOnlyList<EvaluationRun> runs, CrossDomainOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Runs = runs;
        Options = options ?? new CrossDomainOptions();
    }

    /// <summary>The runs.</summary>
    public IReadOnlyList<EvaluationRun> Runs { get; }

    /// <summary>The settings.</summary>
    public CrossDomainOptions Options { get; }

    /// <summary>The measured rows per dataset folder (after <see cref="Measure"/>).</summary>
    public IReadOnlyDictionary<string, FeatureTable> Measured => _measured;

    /// <summary>The randomised copies measured per training folder (empty without <see cref="CrossDomainOptions.Randomization"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FeatureTable>> Randomized => _randomized;

    /// <summary>
    /// Plans the runs: one run training on <paramref name="train"/> and testing on each of <paramref name="tests"/>, or,
    /// with <paramref name="lodo"/>, one run per set holding it out and training on the others.
    /// </summary>
    /// <exception cref="ArgumentException">Both forms, neither, or fewer than two sets to leave out.</exception>
    public static IReadOnlyList<EvaluationRun> Plan(string? train, IReadOnlyList<string> tests, IReadOnlyList<string> lodo)
    {
        ArgumentNullException.ThrowIfNull(tests);
        ArgumentNullException.ThrowIfNull(lodo);
        if (lodo.Count > 0)
        {
            if (train is not null || tests.Count > 0)
            {
                throw new ArgumentException("give either --lodo or --train/--test, not both");
            }

            if (lodo.Count < 2)
            {
                throw new ArgumentException("--lodo needs at least two datasets");
            }

            var specs = lodo.Select(EvaluationSet.Parse).ToList();
            return specs.Select(held => new EvaluationRun($"lodo:{held.Name}", specs.Where(s => s != held).ToList(), [held])).ToList();
        }

        if (train is null || tests.Count == 0)
        {
            throw new ArgumentException("give --train and at least one --test (or --lodo)");
        }

        var trainSet = EvaluationSet.Parse(train);
        return [new EvaluationRun("train:" + trainSet.Name, [trainSet], tests.Select(EvaluationSet.Parse).ToList())];
    }

    /// <summary>
    /// Opens every dataset folder the runs name and checks every set's split and that it holds images; warns (through
    /// <paramref name="warn"/>) about empty class folders and test classes the training sets lack. Reads no image.
    /// </summary>
    /// <exception cref="ArgumentException">A split is unknown or a set is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    public void Open(Action<string>? warn = null)
    {
        warn ??= _ => { };
        foreach (var spec in Runs.SelectMany(r => r.Train.Concat(r.Tests)))
        {
            if (!_datasets.TryGetValue(spec.Folder, out var dataset))
            {
                dataset = Dataset.Open(spec.Folder);
                foreach (string w in dataset.Warnings)
                {
                    warn(w);
                }

                _datasets[spec.Folder] = dataset;
            }

            if (dataset.InSplit(spec.Split).Count == 0)
            {
                throw new ArgumentException($"{spec.Name}: no images");
            }
        }

        foreach (var run in Runs)
        {
            var trainClasses = run.Train.SelectMany(Items).Select(i => i.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var test in run.Tests)
            {
                var unknown = ClassLabels.Unknown(trainClasses, Items(test).Select(i => i.Label));
                if (unknown.Count > 0)
                {
                    warn($"{run.Name}: test set {test.Name}: {unknown.Sum(u => u.Count)} labelled images are of classes the training set lacks " +
                        $"({string.Join(", ", unknown.Select(u => $"{u.Class} {u.Count}"))}; it has {string.Join(", ", trainClasses)}); " +
                        "no prediction can match their label");
                }
            }
        }
    }

    /// <summary>
    /// Looks for test images that are also training images (<see cref="CrossDomainOptions.OverlapCheck"/>), warns with
    /// counts and a few examples, and returns the summaries per run name. Call after <see cref="Open"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<OverlapSummary>> CheckOverlap(Action<string>? warn = null)
    {
        warn ??= _ => { };
        RequireOpened();
        var result = new Dictionary<string, IReadOnlyList<OverlapSummary>>(StringComparer.Ordinal);
        if (Options.OverlapCheck == OverlapCheck.None)
        {
            foreach (var run in Runs)
            {
                result[run.Name] = [];
            }

            return result;
        }

        string check = Options.OverlapCheck == OverlapCheck.Near ? "near" : "exact";
        var finder = new OverlapFinder(new OverlapOptions { NearDuplicates = Options.OverlapCheck == OverlapCheck.Near, Jobs = Options.Jobs });
        foreach (var run in Runs)
        {
            var train = run.Train.Select(s => new DatasetSelection(_datasets[s.Folder], Items(s))).ToList();
            var summaries = new List<OverlapSummary>();
            foreach (var test in run.Tests)
            {
                var report = finder.Find(train, [new DatasetSelection(_datasets[test.Folder], Items(test))]);
                var summary = new OverlapSummary(
                    test.Name, check, report.TrainImages, report.TestImages, report.Shared.Count, report.Count(OverlapKind.SameFile),
                    report.Count(OverlapKind.IdenticalBytes), report.Count(OverlapKind.NearDuplicate), report.Shared.Take(OverlapExamples).ToList());
                summaries.Add(summary);
                if (summary.SharedImages > 0)
                {
                    warn($"{run.Name}: {summary.SharedImages} of {summary.TestImages} images of test set {test.Name} are also in training " +
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

    /// <summary>
    /// Measures every image of every dataset the runs name, once (<paramref name="warn"/> hears each image without
    /// features; <paramref name="progress"/> gets dataset name, done, total). Call after <see cref="Open"/>.
    /// </summary>
    public void Measure(Action<string>? warn = null, Action<string, int, int>? progress = null, CancellationToken cancellation = default)
    {
        RequireOpened();
        var pipeline = CellPipeline.From(Options.Segmenter, Options.Extractor, measureDamaged: Options.MeasureDamaged);
        foreach (var (folder, dataset) in _datasets)
        {
            if (!_measured.ContainsKey(folder))
            {
                _measured[folder] = FeatureBatch.Measure(pipeline, dataset, dataset.Items, Options.Jobs, warn,
                    progress is null ? null : (done, total) => progress(dataset.Name, done, total), cancellation);
            }
        }

        if (Options.Randomization is not { } randomization)
        {
            return;
        }

        // Randomised copies of the images any run trains on, and only those.
        foreach (var group in Runs.SelectMany(r => r.Train).GroupBy(s => s.Folder))
        {
            var dataset = _datasets[group.Key];
            var items = group.SelectMany(Items).DistinctBy(i => i.Path).ToList();
            if (_randomized.ContainsKey(group.Key))
            {
                continue;
            }

            _randomized[group.Key] = Enumerable.Range(0, Options.RandomizedCopies).Select(c =>
                FeatureBatch.Measure(pipeline.WithRandomization(randomization, Options.RandomizationSeed + c), dataset, items, Options.Jobs, warn,
                    progress is null ? null : (done, total) => progress($"{dataset.Name} (randomised copy {c + 1})", done, total), cancellation)).ToList();
        }
    }

    /// <summary>Trains on the run's training sets and scores every test set. Call after <see cref="Measure"/>.</summary>
    /// <param name="run">One of <see cref="Runs"/>.</param>
    /// <param name="warn">Hears training rows left out.</param>
    public RunResult Execute(EvaluationRun run, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_measured.Count == 0)
        {
            throw new InvalidOperationException("Measure the datasets before executing a run.");
        }

        var first = _measured.Values.First();
        var trainRows = run.Train.SelectMany(Rows).ToList();
        var trainTable = new FeatureTable(first.FeatureIds, trainRows, string.Join("+", run.Train.Select(s => s.Name)), first.Provenance);
        var classes = trainRows.Select(r => r.Label).ToHashSet(StringComparer.Ordinal);

        // A class weight for a class that a leave-one-out run does not train on is simply not used.
        var weights = Options.Classifier.ClassWeights.Where(w => classes.Contains(w.Key)).ToDictionary();
        var trainer = new PipelineTrainer(new PipelineTrainerOptions
        {
            Classifier = Options.Classifier with { ClassWeights = weights, Probability = true },
            ExternalTrainer = Options.ExternalTrainer,
            RejectOutsideQuantile = Options.RejectOutsideQuantile,
            Segmenter = Options.Segmenter,
            Extractor = Options.Extractor,
            PerDomainStandardization = Options.Transductive.Mode != TransductiveMode.None,
        });
        var copies = Options.Randomization is null ? [] : Enumerable.Range(0, Options.RandomizedCopies).Select(c =>
        {
            var rows = run.Train.SelectMany(set => _randomized[set.Folder][c].Rows
                .Where(r => set.Split is null || string.Equals(r.Split, set.Split, StringComparison.OrdinalIgnoreCase))).ToList();
            var copy = _randomized[run.Train[0].Folder][c];
            return new FeatureTable(copy.FeatureIds, rows, $"{trainTable.Source} (randomised copy {c + 1})", copy.Provenance);
        }).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var model = trainer.Fit(trainTable, string.Empty, warn, copies);
        double trainingSeconds = watch.Elapsed.TotalSeconds;
        var binding = model.Bind(trainTable);

        var tests = new List<TestSetResult>();
        foreach (var test in run.Tests)
        {
            var cells = new List<EvaluatedCell>();
            var predictions = new List<ClassifierPrediction?>();
            var features = new List<double[]?>();
            string dataset = _datasets[test.Folder].Name;
            var rows = Rows(test).ToList();
            var classified = Options.Transductive.Mode == TransductiveMode.None
                ? rows.Select(r => model.Classify(r, binding)).ToList()
                : model.ClassifyTransductive(rows, binding, Options.Transductive);
            for (int i = 0; i < rows.Count; i++)
            {
                var (row, p) = (rows[i], classified[i]);
                cells.Add(new EvaluatedCell(dataset, row.Path, row.Domain, row.Split, row.Label, p.Prediction?.Label, p.Status,
                    p.Prediction?.Probabilities, p.Prediction is null ? p.Error : null));
                predictions.Add(p.Prediction);
                features.Add(p.Prediction is null ? null : model.ClassifierInput(row, binding));
            }

            tests.Add(new TestSetResult(test, cells, predictions, DomainEvaluation.Score(test.Name, model.Classes, cells, Options.Bootstrap)) { Features = features });
        }

        // The first test set from a training dataset's folder (e.g. pbc:test for pbc:train) is the in-domain reference.
        var inDomain = tests.FirstOrDefault(t => run.Train.Any(s => s.Folder == t.Set.Folder));
        var drops = inDomain is null
            ? []
            : tests.Where(t => t != inDomain).Select(t => new DomainDrop(
                t.Set.Name, inDomain.Evaluation.Metrics.Accuracy - t.Evaluation.Metrics.Accuracy, inDomain.Evaluation.MacroF1 - t.Evaluation.MacroF1)).ToList();
        return new RunResult(run, model, tests, drops, Shift(run, model, trainTable)) { TrainingSeconds = trainingSeconds };
    }

    private List<ShiftRow> Shift(EvaluationRun run, PipelineModel model, FeatureTable trainTable)
    {
        var ids = model.FeatureIds;
        var train = trainTable.Select(ids).Rows.Where(r => r.IsOk && r.Label.Length > 0 && r.Values.All(double.IsFinite)).Select(r => r.Values).ToList();
        var rows = new List<ShiftRow>();
        foreach (var test in run.Tests)
        {
            var testTable = new FeatureTable(trainTable.FeatureIds, Rows(test).ToList(), test.Name, trainTable.Provenance).Select(ids);
            var testRows = testTable.Rows.Where(r => r.IsOk && r.Values.All(double.IsFinite)).Select(r => r.Values).ToList();
            if (testRows.Count == 0)
            {
                continue;
            }

            int rank = 1;
            foreach (var s in DomainShift.Rank(ids, Columns(train, ids.Count), Columns(testRows, ids.Count)))
            {
                rows.Add(new ShiftRow(test.Name, rank++, s));
            }
        }

        return rows;
    }

    private IEnumerable<FeatureRow> Rows(EvaluationSet spec) =>
        _measured[spec.Folder].Rows.Where(r => spec.Split is null || string.Equals(r.Split, spec.Split, StringComparison.OrdinalIgnoreCase));

    private IReadOnlyList<DatasetItem> Items(EvaluationSet spec) => _datasets[spec.Folder].InSplit(spec.Split);

    private void RequireOpened()
    {
        if (_datasets.Count == 0)
        {
            throw new InvalidOperationException("Open the datasets first.");
        }
    }

    private static string Describe(OverlapKind kind) => kind switch
    {
        OverlapKind.SameFile => "same file",
        OverlapKind.IdenticalBytes => "byte-identical",
        _ => "near-duplicate",
    };

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
}
