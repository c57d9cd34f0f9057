using Raabin.Features.Evaluation;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Adaptation;

/// <summary>A way to adapt a model to a new microscope from a few labelled cells of it.</summary>
public enum FewShotMethod
{
    /// <summary>The model as it is (the baseline every method must beat in cross-validation).</summary>
    SourceModel,

    /// <summary>
    /// Per feature, an affine map of the new microscope's standardised features onto the training domain's, fitted on
    /// the labelled class means with a ridge pull towards the identity; then an SVM on the training cells the model
    /// carries (its support vectors) plus the mapped labelled cells. Best on average with ≤ 5 cells per class in the study.
    /// </summary>
    AffineMap,

    /// <summary>
    /// An SVM on the labelled cells alone, standardised with the statistics of all the new microscope's cells given
    /// (labelled and unlabelled); a class without labelled cells is represented by the model's training cells of that
    /// class. Best with ≥ 10 cells per class in the study.
    /// </summary>
    TargetOnly,

    /// <summary>
    /// The model's training cells standardised with the training statistics plus the labelled cells standardised with
    /// the new microscope's own, in one SVM.
    /// </summary>
    JointStandardized,

    /// <summary>
    /// No retraining: the model's SVM behind the new microscope's class-balanced standardisation
    /// (<see cref="TransductiveStandardization"/>) fitted on all its cells given; the labels only judge it. Tried only for
    /// a model with a z-score normaliser and at least <see cref="TransductiveOptions.DefaultMinimumBatch"/> cells.
    /// </summary>
    Transductive,
}

/// <summary>Settings of <see cref="FewShotAdapter"/>.</summary>
public sealed record FewShotOptions
{
    /// <summary>The candidates tried, in order of preference on a cross-validation tie (default: all four).</summary>
    public IReadOnlyList<FewShotMethod> Methods { get; init; } =
        [FewShotMethod.AffineMap, FewShotMethod.TargetOnly, FewShotMethod.JointStandardized, FewShotMethod.Transductive, FewShotMethod.SourceModel];

    /// <summary>
    /// Pull of the affine map towards the identity (default 1): the weight of (a − 1)² + b² against the squared
    /// class-mean residuals, in standardised units.
    /// </summary>
    public double Ridge { get; init; } = 1.0;

    /// <summary>Most cross-validation folds over the labelled cells (default 5; fewer when a class has fewer cells).</summary>
    public int MaxFolds { get; init; } = 5;

    /// <summary>Seed of the fold assignment (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The method used when there are too few labelled cells to cross-validate (a class with one cell): default
    /// <see cref="FewShotMethod.AffineMap"/>.
    /// </summary>
    public FewShotMethod Fallback { get; init; } = FewShotMethod.AffineMap;

    /// <summary>
    /// Fewest labelled cells in every class for the cross-validated choice to decide (default 6); below it
    /// <see cref="Fallback"/> is used and the cross-validated scores are kept for information only. In the ablation
    /// (docs/ablation.md), with 5 cells per class the choice scored 0.00-0.04 F1₁₀ below affine-map alone on every domain.
    /// </summary>
    public int MinimumCellsToChoose { get; init; } = 6;

    /// <summary>Parses a method name (<c>source</c>, <c>affine-map</c>, <c>target-only</c>, <c>joint</c>, <c>transductive</c>).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static FewShotMethod ParseMethod(string name) => name.Trim().ToLowerInvariant() switch
    {
        "source" or "source-model" => FewShotMethod.SourceModel,
        "affine-map" => FewShotMethod.AffineMap,
        "target-only" => FewShotMethod.TargetOnly,
        "joint" or "joint-standardised" or "joint-standardized" => FewShotMethod.JointStandardized,
        "transductive" => FewShotMethod.Transductive,
        _ => throw new ArgumentException($"few-shot method '{name}': choose source, affine-map, target-only, joint or transductive"),
    };

    /// <summary>The name <see cref="ParseMethod"/> reads.</summary>
    public static string Name(FewShotMethod method) => method switch
    {
        FewShotMethod.SourceModel => "source",
        FewShotMethod.AffineMap => "affine-map",
        FewShotMethod.TargetOnly => "target-only",
        FewShotMethod.Transductive => "transductive",
        _ => "joint",
    };
}

/// <summary>An adapted model and what was done to make it.</summary>
/// <param name="Model">The adapted pipeline model (same steps, new classifier, the record in its domain steps).</param>
/// <param name="Record">The method chosen and every candidate's cross-validated scores.</param>
public sealed record FewShotResult(PipelineModel Model, FewShotRecord Record);

/// <summary>
/// Adapts a trained model to a new microscope from a few labelled cells of it (and optionally its unlabelled cells):
/// tries each <see cref="FewShotOptions.Methods"/> candidate, picks the one with the best cross-validated macro-F1 on
/// the labelled cells, refits it on all of them, and returns a model that records what it did. The training domain is
/// represented by the cells the model carries (its support vectors), so the source data is not needed.
/// <c>new FewShotAdapter(options).Adapt(model, labelled, unlabelled, "my-microscope")</c>.
/// </summary>
public sealed class FewShotAdapter
{
    /// <summary>Creates an adapter.</summary>
    public FewShotAdapter(FewShotOptions? options = null)
    {
        Options = options ?? new FewShotOptions();
        if (Options.Methods.Count == 0)
        {
            throw new ArgumentException("no few-shot method to try");
        }

        if (!(Options.Ridge >= 0) || Options.MaxFolds < 2)
        {
            throw new ArgumentException("few-shot options: ridge must be ≥ 0 and at most-folds ≥ 2");
        }
    }

    /// <summary>The settings.</summary>
    public FewShotOptions Options { get; }

    /// <summary>Adapts <paramref name="model"/> (see the class summary).</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="labelled">Labelled cells of the new microscope: raw features in the model's order, labels among its classes.</param>
    /// <param name="unlabelled">Other cells of the new microscope (raw features), used only for its statistics; may be empty.</param>
    /// <param name="domain">The new microscope's name, recorded.</param>
    /// <exception cref="ArgumentException">Features of another length, a label the model does not know, fewer than two labelled classes.</exception>
    public FewShotResult Adapt(PipelineModel model, LabelledFeatures labelled, IReadOnlyList<double[]> unlabelled, string domain)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(labelled);
        unlabelled ??= [];
        Check(model, labelled);
        var source = SourceCells.Of(model);
        var perClass = labelled.Labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int folds = Math.Min(Options.MaxFolds, perClass.Values.Min());
        var candidates = new List<FewShotCandidate>();
        FewShotMethod chosen = Options.Fallback;
        double? f1 = null, accuracy = null;
        string choice = $"too few labelled cells to cross-validate: {FewShotOptions.Name(chosen)}";
        if (folds >= 2)
        {
            var fold = AssignFolds(labelled.Labels, folds, Options.Seed);
            var labelledClasses = perClass.Keys.Order(StringComparer.Ordinal).ToArray();
            (double F1, double Accuracy)? best = null;
            foreach (var method in Options.Methods.Where(m => Applicable(m, model, labelled.Rows.Count + unlabelled.Count)))
            {
                var predicted = new string[labelled.Rows.Count];
                for (int f = 0; f < folds; f++)
                {
                    var train = Enumerable.Range(0, fold.Length).Where(i => fold[i] != f).ToArray();
                    var classifier = Fit(method, model, source, labelled.Subset(train), unlabelled, labelled.Rows, probability: false);
                    for (int i = 0; i < fold.Length; i++)
                    {
                        if (fold[i] == f)
                        {
                            predicted[i] = classifier.Predict(labelled.Rows[i]).Label;
                        }
                    }
                }

                // Macro-F1 over the labelled classes; a prediction of another class of the model still counts as an error.
                var metrics = ClassificationMetrics.Compute(model.Classes, labelled.Labels, predicted);
                double macro = metrics.PerClass.Where(c => labelledClasses.Contains(c.Class)).Average(c => c.F1);
                candidates.Add(new FewShotCandidate(FewShotOptions.Name(method), macro, metrics.Accuracy));
                if (best is null || macro > best.Value.F1)
                {
                    best = (macro, metrics.Accuracy);
                    chosen = method;
                }
            }

            (f1, accuracy) = (best!.Value.F1, best.Value.Accuracy);
            if (perClass.Values.Min() < Options.MinimumCellsToChoose)
            {
                chosen = Options.Fallback;
                var fallback = candidates.FirstOrDefault(c => c.Method == FewShotOptions.Name(chosen));
                (f1, accuracy) = (fallback?.MacroF1, fallback?.Accuracy);
                choice = $"fewer than {Options.MinimumCellsToChoose} labelled cells in a class: {FewShotOptions.Name(chosen)}, the cross-validated scores for information";
            }
            else
            {
                choice = "the best cross-validated macro-F1";
            }
        }

        var final = Fit(chosen, model, source, labelled, unlabelled, labelled.Rows, model.Classifier.HasProbabilities);
        var record = new FewShotRecord(FewShotOptions.Name(chosen), domain, new SortedDictionary<string, int>(perClass, StringComparer.Ordinal),
            unlabelled.Count, folds >= 2 ? folds : 0, f1, accuracy, candidates, Options.Seed) { Choice = choice };
        return new FewShotResult(model.WithClassifier(final, model.Domain with { Adaptation = record }), record);
    }

    /// <summary>Fits one method on <paramref name="labelled"/> (no cross-validation): the classifier it would produce.</summary>
    public ClassifierModel Fit(FewShotMethod method, PipelineModel model, LabelledFeatures labelled, IReadOnlyList<double[]> unlabelled)
    {
        ArgumentNullException.ThrowIfNull(model);
        Check(model, labelled);
        return Fit(method, model, SourceCells.Of(model), labelled, unlabelled ?? [], labelled.Rows, model.Classifier.HasProbabilities);
    }

    private ClassifierModel Fit(
        FewShotMethod method, PipelineModel model, SourceCells source, LabelledFeatures labelled, IReadOnlyList<double[]> unlabelled,
        IReadOnlyList<double[]> allLabelled, bool probability)
    {
        var classifier = model.Classifier;
        if (method == FewShotMethod.SourceModel)
        {
            return classifier;
        }

        int n = classifier.FeatureIds.Count;
        if (method == FewShotMethod.Transductive)
        {
            var batch = unlabelled.Count > 0 ? [.. unlabelled, .. allLabelled] : allLabelled;
            var fitted = TransductiveStandardization.Fit(classifier, batch, new TransductiveOptions { Mode = TransductiveMode.ClassBalanced, MinimumBatch = 2 }, "new microscope");
            return fitted.Classifier;
        }

        if (method == FewShotMethod.AffineMap)
        {
            var map = AffineMap(source, labelled, n);
            var mapped = labelled.Rows.Select(x => map.Transform(x)).ToArray();
            return Train(classifier, map, [.. source.Rows, .. mapped], [.. source.Labels, .. labelled.Labels], probability);
        }

        // The new microscope's own statistics: every cell of it that was given (labels are not used).
        var pool = unlabelled.Count > 0 ? [.. unlabelled, .. allLabelled] : allLabelled;
        var target = FeatureNormalizer.Fit(NormalizerKind.ZScore, pool, n);
        var rows = labelled.Rows.Select(x => target.Transform(x)).ToList();
        var labels = labelled.Labels.ToList();
        if (method == FewShotMethod.TargetOnly)
        {
            var present = labels.ToHashSet(StringComparer.Ordinal);
            for (int i = 0; i < source.Rows.Count; i++)
            {
                if (!present.Contains(source.Labels[i]))
                {
                    rows.Add(source.Rows[i]);
                    labels.Add(source.Labels[i]);
                }
            }

            return Train(classifier, target, rows, labels, probability);
        }

        return Train(classifier, target, [.. source.Rows, .. rows], [.. source.Labels, .. labels], probability);
    }

    // The SVM of the adapted model, on rows already in the standardised space; the model normalises raw features with
    // `normalizer` (so the adapted model is an ordinary classifier: no extra step at prediction). Probabilities only for
    // the final model (cross-validation folds only vote).
    private static ClassifierModel Train(
        ClassifierModel original, FeatureNormalizer normalizer, IReadOnlyList<double[]> rows, IReadOnlyList<string> labels, bool probability)
    {
        var present = labels.ToHashSet(StringComparer.Ordinal);
        var settings = original.Settings with
        {
            Normalizer = NormalizerKind.None,
            ClassWeights = original.Settings.ClassWeights.Where(kv => present.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            Probability = probability,
            DecisionRule = probability ? original.DecisionRule : DecisionRule.Vote,
        };
        var data = new LabelledFeatures(original.FeatureIds, rows, labels, labels.Select(_ => string.Empty).ToArray());
        var fitted = new SvmClassifierTrainer(settings).Fit(data, original.Training);
        if (!fitted.Classes.SequenceEqual(original.Classes))
        {
            throw new ArgumentException($"the adapted classifier would know {string.Join(", ", fitted.Classes)}, not the model's {string.Join(", ", original.Classes)}");
        }

        return new ClassifierModel(original.FeatureIds, fitted.Classes, normalizer, fitted.Svm, settings with { Normalizer = normalizer.Kind },
            fitted.Gamma, original.Training, fitted.DecisionRule);
    }

    // Per feature f, a·t + b with t the source-standardised target value, minimising
    // Σ_c (a·μt_c + b − μs_c)² + λ((a − 1)² + b²) over the labelled classes c; composed with the source standardisation
    // into one affine normaliser of raw features.
    private FeatureNormalizer AffineMap(SourceCells source, LabelledFeatures labelled, int n)
    {
        var classes = labelled.Labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        var scale = new double[n];
        var offset = new double[n];
        double lambda = Options.Ridge;
        var targetMeans = classes.Select(c =>
        {
            var rows = labelled.Rows.Where((_, i) => labelled.Labels[i] == c).Select(x => source.Standardizer.Transform(x)).ToList();
            return Enumerable.Range(0, n).Select(f => rows.Average(r => r[f])).ToArray();
        }).ToArray();
        var sourceMeans = classes.Select(c => source.ClassMeans[c]).ToArray();
        for (int f = 0; f < n; f++)
        {
            double stt = lambda, st = 0, ss = lambda, s = 0;
            for (int c = 0; c < classes.Length; c++)
            {
                double t = targetMeans[c][f];
                double m = sourceMeans[c][f];
                stt += t * t;
                st += t;
                ss += t * m;
                s += m;
            }

            // [stt st; st C+λ] [a b]ᵀ = [ss s]ᵀ
            double det = (stt * (classes.Length + lambda)) - (st * st);
            double a = det > 1e-12 ? ((ss * (classes.Length + lambda)) - (st * s)) / det : 1.0;
            double b = det > 1e-12 ? ((stt * s) - (st * ss)) / det : 0.0;
            scale[f] = a * source.Standardizer.Scale[f];
            offset[f] = (a * source.Standardizer.Offset[f]) + b;
        }

        return new FeatureNormalizer(NormalizerKind.ZScore, scale, offset);
    }

    // The transductive candidate needs a z-scored model and a batch large enough to standardise with.
    private static bool Applicable(FewShotMethod method, PipelineModel model, int cells) =>
        method != FewShotMethod.Transductive ||
        (model.Classifier.Normalizer.Kind == NormalizerKind.ZScore && cells >= TransductiveOptions.DefaultMinimumBatch);

    private static void Check(PipelineModel model, LabelledFeatures labelled)
    {
        if (!model.Classifier.IsKernelSvm)
        {
            throw new ArgumentException($"few-shot adaptation re-trains the kernel SVM from the model's support vectors; {model.Source} has a {model.Classifier.TrainerDescription} classifier");
        }

        if (labelled.Rows.Any(r => r.Length != model.FeatureIds.Count || !r.All(double.IsFinite)))
        {
            throw new ArgumentException($"labelled cells must have the model's {model.FeatureIds.Count} features, all finite");
        }

        var unknown = labelled.Labels.Where(l => !model.Classes.Contains(l)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"labelled cells of class(es) the model does not know: {string.Join(", ", unknown)} (it knows {string.Join(", ", model.Classes)})");
        }

        if (labelled.Labels.Distinct().Count() < 2)
        {
            throw new ArgumentException("adaptation needs labelled cells of at least two classes");
        }
    }

    // Stratified: each class's cells shuffled with the seed, then dealt round the folds.
    private static int[] AssignFolds(IReadOnlyList<string> labels, int folds, int seed)
    {
        var fold = new int[labels.Count];
        var random = new Random(seed);
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            for (int j = 0; j < members.Length; j++)
            {
                fold[members[j]] = j % folds;
            }
        }

        return fold;
    }

    /// <summary>
    /// The training domain as the model carries it: its support vectors in the standardised space the SVM was trained in,
    /// with their classes, the standardiser from raw features to that space, and the class means there.
    /// </summary>
    private sealed record SourceCells(IReadOnlyList<double[]> Rows, IReadOnlyList<string> Labels, FeatureNormalizer Standardizer, IReadOnlyDictionary<string, double[]> ClassMeans)
    {
        public static SourceCells Of(PipelineModel model)
        {
            var c = model.Classifier;
            int n = c.FeatureIds.Count;
            var labels = new List<string>();
            for (int k = 0; k < c.Classes.Count; k++)
            {
                labels.AddRange(Enumerable.Repeat(c.Classes[k], c.Svm.SupportVectorCounts[k]));
            }

            var vectors = Enumerable.Range(0, c.Svm.SupportVectorCount).Select(s => c.Svm.SupportVector(s).ToArray()).ToList();
            FeatureNormalizer standardizer;
            List<double[]> rows;
            if (c.Normalizer.Kind == NormalizerKind.ZScore)
            {
                // The SVM's space is already standardised (per training domain when the model was trained that way).
                standardizer = c.Normalizer;
                rows = vectors;
            }
            else
            {
                var raw = vectors.Select(v => v.Select((x, f) => (x - c.Normalizer.Offset[f]) / c.Normalizer.Scale[f]).ToArray()).ToList();
                standardizer = FeatureNormalizer.Fit(NormalizerKind.ZScore, raw, n);
                rows = raw.Select(r => standardizer.Transform(r)).ToList();
            }

            var means = new Dictionary<string, double[]>(StringComparer.Ordinal);
            for (int k = 0; k < c.Classes.Count; k++)
            {
                string name = c.Classes[k];
                if (model.Statistics is { } st && st.Counts[k] > 0)
                {
                    means[name] = standardizer.Transform(st.Means[k].ToArray());
                }
                else
                {
                    var mine = rows.Where((_, i) => labels[i] == name).ToList();
                    means[name] = Enumerable.Range(0, n).Select(f => mine.Count > 0 ? mine.Average(r => r[f]) : 0).ToArray();
                }
            }

            return new SourceCells(rows, labels, standardizer, means);
        }
    }
}
