using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Explanations;

/// <summary>
/// What explanations measure against, per feature of a model (raw units): the class means, the pooled within-class
/// standard deviation, the class-neutral value and the observed range, all from <see cref="ClassFeatureStatistics"/>.
/// Immutable.
/// </summary>
/// <remarks>
/// <para>Pooled SD of feature f: <c>sqrt(Σ_c n_c·σ_cf² / Σ_c n_c)</c>, with σ_cf the population SD of class c (the
/// statistics' own). One scale per feature, shared by every class, so a deviation from the predicted class and one from
/// the runner-up are in the same unit and can be subtracted.</para>
/// <para>Class-neutral value: the training grand mean, <c>Σ_c n_c·mean_cf / Σ_c n_c</c>.</para>
/// <para>Observed range: [min_c(mean_cf − r·σ_cf), max_c(mean_cf + r·σ_cf)] over classes with n_c &gt; 0, r =
/// <see cref="ExplainerOptions.RangeStandardDeviations"/>.</para>
/// </remarks>
public sealed class ExplanationBasis
{
    private ExplanationBasis(ClassFeatureStatistics statistics, string source, double rangeSds)
    {
        Statistics = statistics;
        Source = source;
        int n = statistics.FeatureIds.Count;
        int k = statistics.Classes.Count;
        double total = statistics.Counts.Sum();
        if (total <= 0)
        {
            throw new ArgumentException($"{source}: the class statistics count no training rows");
        }

        var neutral = new double[n];
        var lower = new double[n];
        var upper = new double[n];
        for (int f = 0; f < n; f++)
        {
            double mean = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                int count = statistics.Counts[c];
                if (count == 0)
                {
                    continue;
                }

                double m = statistics.Means[c][f], s = statistics.StandardDeviations[c][f];
                mean += count * m;
                lo = Math.Min(lo, m - (rangeSds * s));
                hi = Math.Max(hi, m + (rangeSds * s));
            }

            neutral[f] = mean / total;
            lower[f] = lo;
            upper[f] = hi;
        }

        PooledStandardDeviations = statistics.PooledStandardDeviations;
        NeutralValues = neutral;
        RangeLower = lower;
        RangeUpper = upper;
        Definitions = statistics.FeatureIds.Select(FeatureCatalog.Find).ToArray();
    }

    /// <summary>The statistics everything here is computed from.</summary>
    public ClassFeatureStatistics Statistics { get; }

    /// <summary>Where the statistics came from: "the model FILE", or "the table FILE".</summary>
    public string Source { get; }

    /// <summary>Per feature, the pooled within-class population SD (raw units); 0 for a constant feature.</summary>
    public IReadOnlyList<double> PooledStandardDeviations { get; }

    /// <summary>Per feature, the class-neutral value: the training grand mean (raw units).</summary>
    public IReadOnlyList<double> NeutralValues { get; }

    /// <summary>Per feature, the lower end of the observed range (raw units).</summary>
    public IReadOnlyList<double> RangeLower { get; }

    /// <summary>Per feature, the upper end of the observed range (raw units).</summary>
    public IReadOnlyList<double> RangeUpper { get; }

    /// <summary>Per feature, its catalog entry, or null for an id the catalog does not know.</summary>
    public IReadOnlyList<FeatureDefinition?> Definitions { get; }

    /// <summary>The basis of a model's own statistics.</summary>
    /// <exception cref="ArgumentException">
    /// The model has no statistics (written before they were recorded); the message names the model and the remedy.
    /// </exception>
    public static ExplanationBasis FromModel(PipelineModel model, double rangeStandardDeviations = ExplainerOptions.DefaultRangeStandardDeviations)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Statistics is not { } statistics)
        {
            throw new ArgumentException(
                $"the model {model.Source} has no class feature statistics (it was written before models recorded them); " +
                "retrain it, or give the feature table it was trained on (ExplanationBasis.FromTable)");
        }

        return new ExplanationBasis(statistics, $"the model {model.Source}", rangeStandardDeviations);
    }

    /// <summary>
    /// The basis computed from the usable rows of a table (status ok, a label of the model's classes, finite values),
    /// bound to the model's features by id: for a model without statistics, give the table it was trained on (its
    /// training split selected with <paramref name="split"/>, or empty for all rows).
    /// </summary>
    /// <exception cref="ArgumentException">The table lacks a feature of the model, or has no usable row.</exception>
    public static ExplanationBasis FromTable(
        PipelineModel model, FeatureTable table, string split = "", double rangeStandardDeviations = ExplainerOptions.DefaultRangeStandardDeviations)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(table);
        var rows = UsableRows(model, table, split);
        if (rows.Count == 0)
        {
            throw new ArgumentException($"{table.Source}: no usable labelled row{(split.Length > 0 ? $" in split '{split}'" : string.Empty)} to compute class statistics from");
        }

        var statistics = ClassFeatureStatistics.Compute(model.FeatureIds, model.Classes, rows.Select(r => r.Values).ToList(), rows.Select(r => r.Row.Label).ToList());
        return new ExplanationBasis(statistics, $"the table {table.Source}", rangeStandardDeviations);
    }

    /// <summary>Standardised deviation (x − mean_c) / pooled SD of feature <paramref name="feature"/> from class <paramref name="classIndex"/>; 0 when the pooled SD is 0.</summary>
    public double Deviation(int feature, int classIndex, double value)
    {
        double sd = PooledStandardDeviations[feature];
        return sd > 0 ? (value - Statistics.Means[classIndex][feature]) / sd : 0;
    }

    /// <summary>The row itself, checked: one finite value per model feature.</summary>
    internal static double[] CheckRow(PipelineModel model, double[] row, string source)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != model.FeatureIds.Count)
        {
            throw new ArgumentException($"{source}: a cell has {row.Length} features; the model {model.Source} reads {model.FeatureIds.Count}");
        }

        for (int f = 0; f < row.Length; f++)
        {
            if (!double.IsFinite(row[f]))
            {
                throw new ArgumentException($"{source}: feature '{model.FeatureIds[f]}' of a cell is {row[f]}; explanations need finite values");
            }
        }

        return row;
    }

    /// <summary>Rows of <paramref name="table"/> usable for the model: ok, labelled with a model class, finite, bound by id.</summary>
    internal static List<(FeatureRow Row, double[] Values, int TableRow)> UsableRows(PipelineModel model, FeatureTable table, string split)
    {
        var binding = model.Bind(table);
        var classes = new HashSet<string>(model.Classes, StringComparer.Ordinal);
        var result = new List<(FeatureRow, double[], int)>();
        for (int i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            if (!row.IsOk || !classes.Contains(row.Label) || (split.Length > 0 && !string.Equals(row.Split, split, StringComparison.Ordinal)))
            {
                continue;
            }

            var values = new double[model.FeatureIds.Count];
            binding.Apply(row.Values, values);
            if (values.All(double.IsFinite))
            {
                result.Add((row, values, i));
            }
        }

        return result;
    }
}
