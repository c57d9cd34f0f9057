using Raabin.Features.Evaluation;
using Raabin.Features.Evaluation.Statistics;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Explanations;

/// <summary>The score whose drop measures a feature's importance.</summary>
public enum ImportanceMetric
{
    /// <summary>Macro-F1 over the model's classes (<see cref="ClassificationMetrics.MacroF1"/>).</summary>
    MacroF1,

    /// <summary>Fraction correct (<see cref="ClassificationMetrics.Accuracy"/>).</summary>
    Accuracy,
}

/// <summary>Settings of <see cref="GlobalExplainer.PermutationImportance(IReadOnlyList{double[]}, IReadOnlyList{string}, string)"/>.</summary>
public sealed record PermutationImportanceOptions
{
    /// <summary>The defaults: 10 repeats, seed 1, macro-F1, 95 % intervals.</summary>
    public static PermutationImportanceOptions Default { get; } = new();

    /// <summary>Permutations per feature R (≥ 1).</summary>
    public int Repeats { get; init; } = 10;

    /// <summary>Seed: permutation r of feature f is drawn from SplitMix64 stream f·R + r of it, so results do not depend on threads.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The score whose drop is reported.</summary>
    public ImportanceMetric Metric { get; init; } = ImportanceMetric.MacroF1;

    /// <summary>Central coverage of the percentile interval over the R drops, in (0, 1).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// Whether repeat r scores both the baseline and the permuted predictions on a bootstrap resample of the cells (drawn
    /// with replacement from SplitMix64 stream F·R + r of <see cref="Seed"/>, F the feature count, the same resample for every feature), so the
    /// interval covers the test set's sampling error as well as the permutation's; default true. False scores every repeat
    /// on all cells (scikit-learn's <c>permutation_importance</c>: the permutation's spread alone).
    /// </summary>
    public bool ResampleCells { get; init; } = true;

    /// <summary>Upper bound on worker threads; −1 lets the runtime decide. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (Repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, "At least one permutation per feature is needed.");
        }

        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must be in (0, 1).");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use −1 or a positive thread count.");
        }
    }
}

/// <summary>One feature's permutation importance.</summary>
/// <param name="FeatureId">The catalog id.</param>
/// <param name="Group">Its catalog group, or empty.</param>
/// <param name="Unit">Its catalog unit, or empty.</param>
/// <param name="MeanDrop">Mean over the R permutations of (baseline score − score with the column permuted).</param>
/// <param name="Lower">Lower percentile of the R drops (NumPy's linear interpolation).</param>
/// <param name="Upper">Upper percentile of the R drops.</param>
/// <param name="Drops">The R drops, in repeat order.</param>
public sealed record FeatureImportance(string FeatureId, string Group, string Unit, double MeanDrop, double Lower, double Upper, IReadOnlyList<double> Drops);

/// <summary>Permutation importance of every feature on one test set.</summary>
/// <param name="TestSet">The test set's name (a domain, or as given).</param>
/// <param name="Metric">The score.</param>
/// <param name="Cells">Cells scored.</param>
/// <param name="BaselineScore">The score with no column permuted.</param>
/// <param name="Repeats">Permutations per feature.</param>
/// <param name="Seed">The seed.</param>
/// <param name="ConfidenceLevel">Coverage of <see cref="FeatureImportance.Lower"/>..<see cref="FeatureImportance.Upper"/>.</param>
/// <param name="Features">Every feature, largest mean drop first (ties in model order).</param>
public sealed record PermutationImportance(
    string TestSet, ImportanceMetric Metric, int Cells, double BaselineScore, int Repeats, ulong Seed, double ConfidenceLevel, IReadOnlyList<FeatureImportance> Features);

/// <summary>One class's statistics of one feature.</summary>
/// <param name="Class">Class name.</param>
/// <param name="Count">Rows of the class.</param>
/// <param name="Mean">Mean (raw units).</param>
/// <param name="StandardDeviation">Population SD (raw units).</param>
public sealed record ClassProfile(string Class, int Count, double Mean, double StandardDeviation);

/// <summary>A feature's mean ± SD per class.</summary>
/// <param name="FeatureId">The catalog id.</param>
/// <param name="Group">Its catalog group, or empty.</param>
/// <param name="Unit">Its catalog unit, or empty.</param>
/// <param name="Classes">One entry per class, in the model's class order.</param>
public sealed record FeatureProfile(string FeatureId, string Group, string Unit, IReadOnlyList<ClassProfile> Classes);

/// <summary>
/// What a model relies on overall: permutation importance per feature (per test set) and per-class feature profiles.
/// Immutable.
/// </summary>
/// <remarks>
/// Permutation importance (Breiman 2001; scikit-learn's <c>permutation_importance</c>): a feature's column is shuffled
/// across the cells of the test set, R times; its importance is the mean drop of the score, with the percentile
/// interval of the R drops. By default each repeat scores a bootstrap resample of the cells
/// (<see cref="PermutationImportanceOptions.ResampleCells"/>), so the interval is a bootstrap interval that covers the
/// test set's sampling error too; without it, only the permutation's spread.
/// </remarks>
public sealed class GlobalExplainer
{
    /// <summary>An explainer of <paramref name="model"/>.</summary>
    public GlobalExplainer(PipelineModel model, PermutationImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = options ?? PermutationImportanceOptions.Default;
        Options.Validate();
    }

    /// <summary>The model.</summary>
    public PipelineModel Model { get; }

    /// <summary>The settings.</summary>
    public PermutationImportanceOptions Options { get; }

    /// <summary>Permutation importance on cells given as raw vectors (model feature order) and true labels (model classes).</summary>
    /// <exception cref="ArgumentException">No cells, lengths that differ, a label that is not a model class, or a bad vector.</exception>
    public PermutationImportance PermutationImportance(IReadOnlyList<double[]> rows, IReadOnlyList<string> labels, string testSet)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Count == 0 || rows.Count != labels.Count)
        {
            throw new ArgumentException($"{testSet}: permutation importance needs cells and one label per cell ({rows.Count} cells, {labels.Count} labels)");
        }

        var classifier = Model.Classifier;
        int n = rows.Count, features = classifier.FeatureIds.Count, repeats = Options.Repeats;
        int[] truth = ClassLabels.ToIndices(Model.Classes, labels, "truth");
        var normalised = rows.Select(r => classifier.Normalizer.Transform(ExplanationBasis.CheckRow(Model, r, testSet))).ToArray();
        var baselinePredicted = new int[n];
        var probe = new LabelProbe(classifier, normalised[0]);
        for (int i = 0; i < n; i++)
        {
            baselinePredicted[i] = probe.Label(normalised[i]);
        }

        double baseline = Score(truth, baselinePredicted);

        // One resample of the cells per repeat, shared by every feature (identity when not resampling).
        var samples = new int[repeats][];
        var sampleTruths = new int[repeats][];
        var sampleBaselines = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            samples[r] = new int[n];
            var random = SplitMix64.ForStream(Options.Seed, ((long)features * repeats) + r);
            for (int i = 0; i < n; i++)
            {
                samples[r][i] = Options.ResampleCells ? random.NextIndex(n) : i;
            }

            sampleTruths[r] = Pick(truth, samples[r]);
            sampleBaselines[r] = Options.ResampleCells ? Score(sampleTruths[r], Pick(baselinePredicted, samples[r])) : baseline;
        }

        var drops = new double[features][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism };
        Parallel.For(0, features, parallel, f =>
        {
            var localProbe = new LabelProbe(classifier, normalised[0]);
            var permutation = new int[n];
            var predicted = new int[n];
            var x = new double[features];
            drops[f] = new double[repeats];
            for (int r = 0; r < repeats; r++)
            {
                var random = SplitMix64.ForStream(Options.Seed, ((long)f * repeats) + r);
                for (int i = 0; i < n; i++)
                {
                    permutation[i] = i;
                }

                for (int i = n - 1; i > 0; i--)
                {
                    int j = random.NextIndex(i + 1);
                    (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
                }

                for (int i = 0; i < n; i++)
                {
                    // Normalisation is per feature, so permuting normalised values permutes raw ones.
                    normalised[i].CopyTo(x, 0);
                    x[f] = normalised[permutation[i]][f];
                    predicted[i] = localProbe.Label(x);
                }

                drops[f][r] = Options.ResampleCells
                    ? sampleBaselines[r] - Score(sampleTruths[r], Pick(predicted, samples[r]))
                    : baseline - Score(truth, predicted);
            }
        });

        var basis = Model.FeatureIds.Select(FeatureCatalog.Find).ToArray();
        double tail = (1 - Options.ConfidenceLevel) / 2;
        var result = new FeatureImportance[features];
        for (int f = 0; f < features; f++)
        {
            double[] sorted = [.. drops[f].Order()];
            result[f] = new FeatureImportance(
                Model.FeatureIds[f], basis[f]?.Group ?? string.Empty, basis[f]?.Unit ?? string.Empty, drops[f].Average(),
                Bootstrap.Percentile(sorted, tail), Bootstrap.Percentile(sorted, 1 - tail), Array.AsReadOnly(drops[f]));
        }

        return new PermutationImportance(testSet, Options.Metric, n, baseline, repeats, Options.Seed, Options.ConfidenceLevel,
            [.. result.OrderByDescending(i => i.MeanDrop)]);
    }

    /// <summary>
    /// Permutation importance per test set: the usable rows of <paramref name="table"/> (of <paramref name="split"/>, or
    /// all), bound by id, grouped by domain (ordinal order; rows without a domain form "(no domain)").
    /// </summary>
    /// <exception cref="ArgumentException">The table does not serve the model, or has no usable labelled row.</exception>
    public IReadOnlyList<PermutationImportance> PermutationImportanceByDomain(FeatureTable table, string split = "")
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = ExplanationBasis.UsableRows(Model, table, split);
        if (rows.Count == 0)
        {
            throw new ArgumentException($"{table.Source}: no usable labelled row{(split.Length > 0 ? $" in split '{split}'" : string.Empty)}");
        }

        return [.. rows.GroupBy(r => r.Row.Domain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => PermutationImportance(g.Select(r => r.Values).ToList(), g.Select(r => r.Row.Label).ToList(), g.Key.Length > 0 ? g.Key : "(no domain)"))];
    }

    /// <summary>Per-class profiles from the model's training statistics.</summary>
    /// <exception cref="ArgumentException">The model has no statistics (an old model); the message names it.</exception>
    public IReadOnlyList<FeatureProfile> TrainingProfiles() => Profiles(ExplanationBasis.FromModel(Model).Statistics);

    /// <summary>Per-class profiles of the usable rows of a table (of <paramref name="split"/>, or all), bound by id.</summary>
    /// <exception cref="ArgumentException">The table does not serve the model, or has no usable labelled row.</exception>
    public IReadOnlyList<FeatureProfile> Profiles(FeatureTable table, string split = "") =>
        Profiles(ExplanationBasis.FromTable(Model, table, split).Statistics);

    /// <summary>Per-class profiles of given statistics.</summary>
    public static IReadOnlyList<FeatureProfile> Profiles(ClassFeatureStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return [.. statistics.FeatureIds.Select((id, f) =>
        {
            var definition = FeatureCatalog.Find(id);
            return new FeatureProfile(id, definition?.Group ?? string.Empty, definition?.Unit ?? string.Empty,
                [.. statistics.Classes.Select((c, k) => new ClassProfile(c, statistics.Counts[k], statistics.Means[k][f], statistics.StandardDeviations[k][f]))]);
        })];
    }

    private static int[] Pick(int[] values, int[] at)
    {
        var picked = new int[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            picked[i] = values[at[i]];
        }

        return picked;
    }

    private double Score(int[] truth, int[] predicted)
    {
        var metrics = ClassificationMetrics.Compute(ConfusionMatrix.FromIndices(Model.Classes, truth, predicted));
        return Options.Metric == ImportanceMetric.Accuracy ? metrics.Accuracy : metrics.MacroF1;
    }
}
