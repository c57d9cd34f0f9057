using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Learning;

/// <summary>Labelled feature vectors to train or evaluate on.</summary>
/// <param name="FeatureIds">Column ids, in order.</param>
/// <param name="Rows">Raw feature vectors (finite values).</param>
/// <param name="Labels">Class name per row.</param>
/// <param name="Domains">Acquisition domain per row (may be empty strings).</param>
public sealed record LabelledFeatures(IReadOnlyList<string> FeatureIds, IReadOnlyList<double[]> Rows, IReadOnlyList<string> Labels, IReadOnlyList<string> Domains)
{
    /// <summary>Distinct labels in ordinal sorted order.</summary>
    public IReadOnlyList<string> SortedClasses() => Labels.Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The subset at the given row indices.</summary>
    public LabelledFeatures Subset(IReadOnlyList<int> indices) =>
        new(FeatureIds, indices.Select(i => Rows[i]).ToArray(), indices.Select(i => Labels[i]).ToArray(), indices.Select(i => Domains[i]).ToArray());
}

/// <summary>
/// Fits a <see cref="ClassifierModel"/>: normaliser, γ, then a LIBSVM-exact C-SVC on rows sorted by class (so LIBSVM's
/// first-occurrence class order equals the sorted label order, as scikit-learn arranges it). <c>new
/// SvmClassifierTrainer(options).Fit(data)</c>, in the shape of ML.NET's estimators.
/// </summary>
public sealed class SvmClassifierTrainer
{
    /// <summary>Creates a trainer.</summary>
    public SvmClassifierTrainer(SvmClassifierOptions? options = null) => Options = options ?? new SvmClassifierOptions();

    /// <summary>The settings.</summary>
    public SvmClassifierOptions Options { get; }

    /// <summary>Trains on <paramref name="data"/>; <paramref name="summary"/> is stored in the model.</summary>
    /// <exception cref="ArgumentException">Fewer than two classes, non-finite values, or a class weight naming no class.</exception>
    public ClassifierModel Fit(LabelledFeatures data, TrainingSummary? summary = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var classes = data.SortedClasses();
        if (classes.Count < 2)
        {
            throw new ArgumentException($"Training needs at least two classes; found {classes.Count} ({string.Join(", ", classes)}).");
        }

        foreach (string named in Options.ClassWeights.Keys)
        {
            if (!classes.Contains(named))
            {
                throw new ArgumentException($"A class weight names '{named}', which is not a training class ({string.Join(", ", classes)}).");
            }
        }

        int featureCount = data.FeatureIds.Count;
        for (int r = 0; r < data.Rows.Count; r++)
        {
            foreach (double v in data.Rows[r])
            {
                if (!double.IsFinite(v))
                {
                    throw new ArgumentException($"Training row {r} has a non-finite feature value.");
                }
            }
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Count; c++)
        {
            index[classes[c]] = c;
        }

        // Stable sort by class: rows of one class keep their input order.
        int[] order = Enumerable.Range(0, data.Rows.Count).OrderBy(r => index[data.Labels[r]]).ToArray();
        var normalizer = FeatureNormalizer.Fit(Options.Normalizer, data.Rows, featureCount);
        var x = new double[order.Length][];
        var y = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            x[i] = normalizer.Transform(data.Rows[order[i]]);
            y[i] = index[data.Labels[order[i]]];
        }

        double gamma = Options.Gamma.Resolve(x, featureCount);
        var weights = classes.Select(c => Options.ClassWeights.TryGetValue(c, out double w) ? w : 1.0).ToArray();
        var svm = new SvmTrainer(new SvmTrainerOptions
        {
            Kernel = CreateKernel(Options, gamma),
            Cost = Options.C,
            ClassWeights = weights,
            Tolerance = Options.Tolerance,
            CacheSizeMegabytes = Options.CacheSizeMegabytes,
            Probability = Options.Probability,
            Seed = Options.Seed,
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism > 0 ? Options.MaxDegreeOfParallelism : -1,
        }).Fit(x, y);

        summary ??= Summarise(data, string.Empty, string.Empty, 0);
        return new ClassifierModel(data.FeatureIds, classes, normalizer, svm, Options, gamma, summary, Options.DecisionRule);
    }

    /// <summary>A training summary for <paramref name="data"/>.</summary>
    public static TrainingSummary Summarise(LabelledFeatures data, string source, string split, int skipped) => new(
        source, split, data.Rows.Count, skipped,
        new SortedDictionary<string, int>(data.Labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal),
        data.Domains.Where(d => d.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray());

    /// <summary>The SVM kernel for the settings and a resolved γ.</summary>
    public static SvmKernel CreateKernel(SvmClassifierOptions options, double gamma) => options.Kernel switch
    {
        KernelKind.Linear => new SvmKernel.Linear(),
        KernelKind.Polynomial => new SvmKernel.Polynomial(gamma, options.Coef0, options.Degree),
        KernelKind.Rbf => new SvmKernel.Rbf(gamma),
        KernelKind.Sigmoid => new SvmKernel.Sigmoid(gamma, options.Coef0),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kernel, "Unknown kernel."),
    };
}
