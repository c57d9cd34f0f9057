using Raabin.Features.Evaluation;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Adaptation;

/// <summary>One feature set of an ablation: a name and the feature ids it trains on.</summary>
/// <param name="Name">E.g. <c>shape+colour</c>.</param>
/// <param name="FeatureIds">The ids.</param>
public sealed record AblationFeatureSet(string Name, IReadOnlyList<string> FeatureIds)
{
    /// <summary>
    /// The features of a table whose catalog group is one of <paramref name="groups"/> (names joined by <c>+</c>, e.g.
    /// <c>shape+colour</c>); <c>all</c> is every feature of the table.
    /// </summary>
    /// <exception cref="ArgumentException">A group none of the table's features belongs to.</exception>
    public static AblationFeatureSet FromGroups(string groups, FeatureTable table)
    {
        if (groups == "all")
        {
            return new AblationFeatureSet(groups, table.FeatureIds);
        }

        var wanted = groups.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var groupOf = table.FeatureIds.ToDictionary(id => id, id => FeatureCatalog.Find(id)?.Group ?? string.Empty, StringComparer.Ordinal);
        foreach (string g in wanted)
        {
            if (!groupOf.Values.Contains(g))
            {
                throw new ArgumentException($"{table.Source}: no feature of group '{g}' (its groups: {string.Join(", ", groupOf.Values.Distinct().Where(v => v.Length > 0))})");
            }
        }

        return new AblationFeatureSet(groups, table.FeatureIds.Where(id => wanted.Contains(groupOf[id])).ToList());
    }
}

/// <summary>A test set of an ablation: a name and its measured features (labelled).</summary>
/// <param name="Name">E.g. <c>zheng-jtsc</c>.</param>
/// <param name="Table">Its features.</param>
/// <param name="InDomain">Whether it comes from the training source (e.g. its test split): no few-shot rows for it.</param>
public sealed record AblationTestSet(string Name, FeatureTable Table, bool InDomain = false);

/// <summary>Settings of <see cref="AblationProtocol"/>; the defaults are the study's protocol.</summary>
public sealed record AblationOptions
{
    /// <summary>The classifier: RBF kernel, C = 10, γ = scale, z-score, no probabilities (votes).</summary>
    public SvmClassifierOptions Classifier { get; init; } = new()
    {
        Kernel = KernelKind.Rbf,
        C = 10,
        Normalizer = NormalizerKind.ZScore,
        Probability = false,
    };

    /// <summary>Transductive modes tried (default none, domain, class-balanced).</summary>
    public IReadOnlyList<TransductiveMode> Transductive { get; init; } = [TransductiveMode.None, TransductiveMode.Domain, TransductiveMode.ClassBalanced];

    /// <summary>Labelled cells per class of each test set for few-shot adaptation (default 0, 3, 5, 10, 20; 0 = none).</summary>
    public IReadOnlyList<int> Shots { get; init; } = [0, 3, 5, 10, 20];

    /// <summary>Seeded draws of the labelled cells per k (default 10).</summary>
    public int Draws { get; init; } = 10;

    /// <summary>
    /// Adaptation methods also scored on their own (no cross-validated choice) for each k, to check that choosing by
    /// cross-validation on the labelled cells is worth it (default none).
    /// </summary>
    public IReadOnlyList<FewShotMethod> FixedMethods { get; init; } = [];

    /// <summary>
    /// Also leave one domain out: for each test set that is not from the source, train on the source and every other
    /// such test set (all their labelled cells) and test on it, with each transductive mode (default false).
    /// </summary>
    public bool LeaveOneDomainOut { get; init; }

    /// <summary>Seed of the draws (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>The adaptation's settings.</summary>
    public FewShotOptions FewShot { get; init; } = new();

    /// <summary>Bootstrap of the intervals of the rows without few-shot draws (default 1,000 replicates).</summary>
    public BootstrapOptions Bootstrap { get; init; } = new() { Replicates = 1000 };

    /// <summary>Threads for the draws (≤ 0: all cores); the results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// One line of an ablation: a configuration on one test set. Without few-shot draws the intervals are stratified
/// bootstrap 95 % intervals; with draws the numbers are means over the draws, with their SD (the intervals are NaN).
/// </summary>
/// <param name="Features">The feature set.</param>
/// <param name="Randomized">Whether randomised training copies were trained on.</param>
/// <param name="Transductive">The transductive mode (<c>none</c>, <c>domain</c>, <c>class-balanced</c>).</param>
/// <param name="Shots">Labelled cells per class of the test set used to adapt (0: none).</param>
/// <param name="TestSet">The test set.</param>
/// <param name="Cells">Cells scored (per draw, for few-shot rows).</param>
/// <param name="Draws">Draws averaged (1 without few-shot).</param>
/// <param name="F1Large">Macro-F1 over the classes with at least the small-class threshold of scored cells (F1₁₀).</param>
/// <param name="F1LargeSd">Its SD over draws (NaN without draws).</param>
/// <param name="MacroF1">Macro-F1 over all classes.</param>
/// <param name="MacroF1Interval">Bootstrap interval of the macro-F1 (NaN bounds with draws).</param>
/// <param name="MacroF1Sd">SD of the macro-F1 over draws.</param>
/// <param name="Accuracy">Accuracy.</param>
/// <param name="AccuracyInterval">Bootstrap interval of the accuracy.</param>
/// <param name="AccuracySd">SD of the accuracy over draws.</param>
/// <param name="Methods">With draws, how often each adaptation method was chosen (e.g. <c>affine-map 7, target-only 3</c>).</param>
/// <param name="Adaptation">How the k labelled cells were used: <c>cv</c> (the method chosen by cross-validation), a method name (that method alone), or empty for k = 0.</param>
/// <param name="Training">What the model was trained on: <c>source</c>, or <c>source + others</c> (leave one domain out).</param>
public sealed record AblationRow(
    string Features, bool Randomized, string Transductive, int Shots, string TestSet, int Cells, int Draws,
    double F1Large, double F1LargeSd, double MacroF1, (double Lower, double Upper) MacroF1Interval, double MacroF1Sd,
    double Accuracy, (double Lower, double Upper) AccuracyInterval, double AccuracySd, string Methods, string Adaptation = "", string Training = "source");

/// <summary>
/// The ablation protocol: every lever on and off on every test set. For each feature set, with and without the
/// randomised copies: a model trained on the source (z-score) tested as it is and after each few-shot adaptation, and a
/// model trained on per-domain standardised features tested with each transductive mode. Trained on the source only;
/// a test set's labels are used only to score, and (few-shot rows) for the k labelled cells of each draw, which are
/// then not scored.
/// </summary>
public sealed class AblationProtocol
{
    /// <summary>Creates the protocol.</summary>
    public AblationProtocol(AblationOptions? options = null) => Options = options ?? new AblationOptions();

    /// <summary>The settings.</summary>
    public AblationOptions Options { get; }

    /// <summary>Runs the ablation; <paramref name="progress"/> hears one line per configuration.</summary>
    /// <param name="train">The source's labelled features (its training split).</param>
    /// <param name="randomized">Features of randomised copies of the same images (empty: the randomisation lever is off only).</param>
    /// <param name="featureSets">The feature sets.</param>
    /// <param name="tests">The test sets.</param>
    /// <param name="progress">Progress lines, or null.</param>
    public IReadOnlyList<AblationRow> Run(
        FeatureTable train, IReadOnlyList<FeatureTable> randomized, IReadOnlyList<AblationFeatureSet> featureSets, IReadOnlyList<AblationTestSet> tests,
        Action<string>? progress = null)
    {
        var rows = new List<AblationRow>();
        foreach (var set in featureSets)
        {
            foreach (bool dr in randomized.Count > 0 ? new[] { false, true } : [false])
            {
                var copies = dr ? randomized : [];
                var plain = Train(train, copies, set, perDomain: false);
                var perDomain = Options.Transductive.Any(m => m != TransductiveMode.None) ? Train(train, copies, set, perDomain: true) : null;
                foreach (var test in tests)
                {
                    var cells = Bind(plain, test);
                    foreach (var row in ScoreModes(plain, perDomain, set.Name, dr, test.Name, cells, "source"))
                    {
                        rows.Add(row);
                        progress?.Invoke(Describe(row));
                    }

                    foreach (int k in Options.Shots.Where(k => k > 0 && !test.InDomain))
                    {
                        rows.Add(FewShot(plain, set.Name, dr, test.Name, cells, k, null));
                        progress?.Invoke(Describe(rows[^1]));
                        foreach (var method in Options.FixedMethods)
                        {
                            rows.Add(FewShot(plain, set.Name, dr, test.Name, cells, k, method));
                            progress?.Invoke(Describe(rows[^1]));
                        }
                    }
                }
            }
        }

        if (Options.LeaveOneDomainOut)
        {
            rows.AddRange(LeaveOneDomainOut(train, randomized, featureSets, tests, progress));
        }

        return rows;
    }

    private List<AblationRow> LeaveOneDomainOut(
        FeatureTable train, IReadOnlyList<FeatureTable> randomized, IReadOnlyList<AblationFeatureSet> featureSets, IReadOnlyList<AblationTestSet> tests,
        Action<string>? progress)
    {
        var rows = new List<AblationRow>();
        var others = tests.Where(t => !t.InDomain).ToList();
        foreach (var set in featureSets)
        {
            foreach (bool dr in randomized.Count > 0 ? new[] { false, true } : [false])
            {
                foreach (var held in others)
                {
                    var pooled = new FeatureTable(train.FeatureIds,
                        [.. train.Rows, .. others.Where(t => t != held).SelectMany(t => t.Table.Select(train.FeatureIds).Rows)], train.Source, train.Provenance);
                    var copies = dr ? randomized : [];
                    var plain = Train(pooled, copies, set, perDomain: false);
                    var perDomain = Options.Transductive.Any(m => m != TransductiveMode.None) ? Train(pooled, copies, set, perDomain: true) : null;
                    foreach (var row in ScoreModes(plain, perDomain, set.Name, dr, held.Name, Bind(plain, held), "source + others"))
                    {
                        rows.Add(row);
                        progress?.Invoke("leave-one-domain-out: " + Describe(row));
                    }
                }
            }
        }

        return rows;
    }

    // One row per transductive mode: the plain model as it is, the per-domain model behind each mode's standardisation.
    private IEnumerable<AblationRow> ScoreModes(
        PipelineModel plain, PipelineModel? perDomain, string features, bool dr, string test, List<Cell> cells, string training)
    {
        foreach (var mode in Options.Transductive)
        {
            var model = mode == TransductiveMode.None ? plain : perDomain!;
            var classifier = mode == TransductiveMode.None ? model.Classifier
                : TransductiveStandardization.Fit(model.Classifier, cells.Where(c => c.Values is not null).Select(c => c.Values!).ToList(),
                    new TransductiveOptions { Mode = mode, MinimumBatch = 2 }, test).Classifier;
            var predicted = cells.Select(c => c.Values is null ? null : classifier.Predict(c.Values).Label).ToList();
            yield return Single(features, dr, mode, test, model.Classes, cells, predicted) with { Training = training };
        }
    }

    /// <summary>A one-line summary of a row.</summary>
    public static string Describe(AblationRow r) =>
        FormattableString.Invariant($"{r.Features}{(r.Randomized ? " +DR" : string.Empty)} transductive={r.Transductive} k={r.Shots} {r.TestSet}: F1_10 {r.F1Large:F3}") +
        (r.Draws > 1 ? FormattableString.Invariant($" ± {r.F1LargeSd:F3} ({r.Draws} draws; {r.Methods})") : string.Empty) +
        FormattableString.Invariant($", macro-F1 {r.MacroF1:F3}, accuracy {r.Accuracy:F3}");

    private PipelineModel Train(FeatureTable train, IReadOnlyList<FeatureTable> copies, AblationFeatureSet set, bool perDomain) =>
        new PipelineTrainer(new PipelineTrainerOptions
        {
            Classifier = Options.Classifier,
            Segmenter = train.Provenance.Segmenter ?? Segmentation.SegmenterSpec.Reference,
            Extractor = train.Provenance.Extractor ?? ExtractorSpec.Reference,
            FeatureSubset = set.FeatureIds,
            PerDomainStandardization = perDomain,
        }).Fit(train, string.Empty, null, copies);

    // A test cell: label and raw features in the model's order (null when the row has none).
    private sealed record Cell(string Path, string Label, double[]? Values);

    private static List<Cell> Bind(PipelineModel model, AblationTestSet test)
    {
        var binding = model.Bind(test.Table);
        return test.Table.Rows.Select(r => new Cell(r.Path, r.Label, model.ClassifierInput(r, binding))).ToList();
    }

    private AblationRow Single(string features, bool dr, TransductiveMode mode, string test, IReadOnlyList<string> classes, List<Cell> cells, List<string?> predicted)
    {
        var e = Score(test, classes, cells, predicted, Options.Bootstrap);
        return new AblationRow(features, dr, TransductiveOptions.Name(mode), 0, test, cells.Count, 1, e.MacroF1OverLargeClasses, double.NaN,
            e.MacroF1, (e.Intervals.MacroF1.Lower, e.Intervals.MacroF1.Upper), double.NaN,
            e.Metrics.Accuracy, (e.Intervals.Accuracy.Lower, e.Intervals.Accuracy.Upper), double.NaN, string.Empty);
    }

    private static TestSetEvaluation Score(string test, IReadOnlyList<string> classes, IReadOnlyList<Cell> cells, IReadOnlyList<string?> predicted, BootstrapOptions bootstrap)
    {
        var evaluated = cells.Select((c, i) => new EvaluatedCell(test, c.Path, string.Empty, string.Empty, c.Label, predicted[i],
            predicted[i] is null ? "no features" : CellStatus.Ok, null, null)).ToList();
        return DomainEvaluation.Score(test, classes, evaluated, bootstrap);
    }

    private AblationRow FewShot(PipelineModel model, string features, bool dr, string test, List<Cell> cells, int k, FewShotMethod? fixedMethod)
    {
        var summary = FewShotSimulation.Run(model, test, cells.Select(c => new FewShotCell(c.Path, c.Label, c.Values)).ToList(), k, new FewShotSimulationOptions
        {
            Draws = Options.Draws,
            Seed = Options.Seed,
            Adapter = fixedMethod is { } m ? Options.FewShot with { Methods = [m], Fallback = m } : Options.FewShot,
            SmallClassThreshold = Options.Bootstrap.SmallClassThreshold,
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism,
        });
        return new AblationRow(features, dr, TransductiveOptions.Name(TransductiveMode.None), k, test, summary.Scored, summary.Draws,
            summary.F1Large.Mean, summary.F1Large.Sd, summary.MacroF1.Mean, (double.NaN, double.NaN), summary.MacroF1.Sd,
            summary.Accuracy.Mean, (double.NaN, double.NaN), summary.Accuracy.Sd, summary.Methods,
            fixedMethod is { } chosen ? FewShotOptions.Name(chosen) : "cv");
    }
}
