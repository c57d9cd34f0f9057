using System.Collections.ObjectModel;

namespace Raabin.Features.Learning;

/// <summary>
/// Per-class count, mean and population standard deviation of every feature, in raw (unnormalised) units, of the rows
/// a model was trained on. Stored in the model file: adaptation maps a new microscope's class means onto these, and
/// explanations measure a cell's distance from them.
/// </summary>
public sealed class ClassFeatureStatistics
{
    /// <summary>Rebuilds statistics from stored values.</summary>
    /// <param name="featureIds">Feature ids, in the order of every mean and SD vector.</param>
    /// <param name="classes">Class names.</param>
    /// <param name="counts">Rows per class.</param>
    /// <param name="means">Per class, the mean of each feature.</param>
    /// <param name="standardDeviations">Per class, the population SD of each feature.</param>
    /// <exception cref="ArgumentException">Lengths that do not match, or a non-finite value.</exception>
    public ClassFeatureStatistics(
        IReadOnlyList<string> featureIds, IReadOnlyList<string> classes, IReadOnlyList<int> counts,
        IReadOnlyList<IReadOnlyList<double>> means, IReadOnlyList<IReadOnlyList<double>> standardDeviations)
    {
        if (counts.Count != classes.Count || means.Count != classes.Count || standardDeviations.Count != classes.Count)
        {
            throw new ArgumentException($"class statistics for {classes.Count} classes have {counts.Count} counts, {means.Count} means and {standardDeviations.Count} SD vectors");
        }

        for (int c = 0; c < classes.Count; c++)
        {
            if (means[c].Count != featureIds.Count || standardDeviations[c].Count != featureIds.Count)
            {
                throw new ArgumentException($"class statistics of '{classes[c]}' do not have one value per feature ({featureIds.Count})");
            }

            if (means[c].Concat(standardDeviations[c]).Any(v => !double.IsFinite(v)) || counts[c] < 0)
            {
                throw new ArgumentException($"class statistics of '{classes[c]}' hold a non-finite value or a negative count");
            }
        }

        FeatureIds = new ReadOnlyCollection<string>([.. featureIds]);
        Classes = new ReadOnlyCollection<string>([.. classes]);
        Counts = new ReadOnlyCollection<int>([.. counts]);
        Means = means.Select(m => (IReadOnlyList<double>)new ReadOnlyCollection<double>([.. m])).ToArray();
        StandardDeviations = standardDeviations.Select(m => (IReadOnlyList<double>)new ReadOnlyCollection<double>([.. m])).ToArray();
    }

    /// <summary>Feature ids, in vector order.</summary>
    public IReadOnlyList<string> FeatureIds { get; }

    /// <summary>Class names, in the order of <see cref="Counts"/>, <see cref="Means"/> and <see cref="StandardDeviations"/>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Training rows per class.</summary>
    public IReadOnlyList<int> Counts { get; }

    /// <summary>Per class, each feature's mean (raw units).</summary>
    public IReadOnlyList<IReadOnlyList<double>> Means { get; }

    /// <summary>Per class, each feature's population standard deviation (raw units).</summary>
    public IReadOnlyList<IReadOnlyList<double>> StandardDeviations { get; }

    /// <summary>
    /// Computes the statistics of <paramref name="rows"/> (raw feature vectors) grouped by <paramref name="labels"/>, for
    /// <paramref name="classes"/> in that order (a class without rows gets count 0, means and SDs 0).
    /// </summary>
    public static ClassFeatureStatistics Compute(
        IReadOnlyList<string> featureIds, IReadOnlyList<string> classes, IReadOnlyList<double[]> rows, IReadOnlyList<string> labels)
    {
        int n = featureIds.Count;
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var counts = new int[classes.Count];
        var sums = new double[classes.Count][];
        var squares = new double[classes.Count][];
        for (int c = 0; c < classes.Count; c++)
        {
            sums[c] = new double[n];
            squares[c] = new double[n];
        }

        for (int r = 0; r < rows.Count; r++)
        {
            if (!index.TryGetValue(labels[r], out int c))
            {
                continue;
            }

            counts[c]++;
            for (int f = 0; f < n; f++)
            {
                sums[c][f] += rows[r][f];
            }
        }

        var means = new double[classes.Count][];
        for (int c = 0; c < classes.Count; c++)
        {
            means[c] = sums[c].Select(s => counts[c] > 0 ? s / counts[c] : 0).ToArray();
        }

        // Two passes: the SD from squared deviations, not from sums of squares (no cancellation on large values).
        for (int r = 0; r < rows.Count; r++)
        {
            if (!index.TryGetValue(labels[r], out int c))
            {
                continue;
            }

            for (int f = 0; f < n; f++)
            {
                double d = rows[r][f] - means[c][f];
                squares[c][f] += d * d;
            }
        }

        var sds = squares.Select((s, c) => s.Select(v => counts[c] > 0 ? Math.Sqrt(v / counts[c]) : 0).ToArray()).ToArray();
        return new ClassFeatureStatistics(featureIds, classes, counts, means, sds);
    }

    /// <summary>
    /// Per feature, the pooled within-class population SD (raw units): <c>sqrt(Σ_c n_c·σ_cf² / Σ_c n_c)</c>; 0 for a
    /// constant feature, NaN when no class has rows.
    /// </summary>
    public IReadOnlyList<double> PooledStandardDeviations => _pooled ??= Pool();

    private double[]? _pooled;

    private double[] Pool()
    {
        double total = Counts.Sum();
        var pooled = new double[FeatureIds.Count];
        for (int f = 0; f < pooled.Length; f++)
        {
            double variance = 0;
            for (int c = 0; c < Classes.Count; c++)
            {
                if (Counts[c] > 0)
                {
                    double s = StandardDeviations[c][f];
                    variance += Counts[c] * s * s;
                }
            }

            pooled[f] = Math.Sqrt(variance / total);
        }

        return pooled;
    }

    /// <summary>
    /// How far a cell (raw features, in <see cref="FeatureIds"/> order) lies from class <paramref name="classIndex"/>'s
    /// mean: the root mean square over features of (x − mean) / pooled SD, features with a pooled SD of 0 left out. 1 is
    /// a typical distance for a cell of the class when features are independent.
    /// </summary>
    public double Distance(ReadOnlySpan<double> raw, int classIndex)
    {
        if (raw.Length != FeatureIds.Count)
        {
            throw new ArgumentException($"a cell of {raw.Length} features for statistics of {FeatureIds.Count}", nameof(raw));
        }

        var pooled = PooledStandardDeviations;
        var mean = Means[classIndex];
        double sum = 0;
        int used = 0;
        for (int f = 0; f < raw.Length; f++)
        {
            if (pooled[f] > 0)
            {
                double z = (raw[f] - mean[f]) / pooled[f];
                sum += z * z;
                used++;
            }
        }

        return used > 0 ? Math.Sqrt(sum / used) : 0;
    }

    /// <summary>The same statistics for a subset of the features, in <paramref name="featureIds"/> order.</summary>
    /// <exception cref="ArgumentException">An id these statistics do not have.</exception>
    public ClassFeatureStatistics Select(IReadOnlyList<string> featureIds)
    {
        var position = FeatureIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var at = featureIds.Select(id => position.TryGetValue(id, out int i) ? i : throw new ArgumentException($"class statistics lack feature '{id}'")).ToArray();
        return new ClassFeatureStatistics(featureIds, Classes, Counts,
            Means.Select(m => (IReadOnlyList<double>)at.Select(i => m[i]).ToArray()).ToArray(),
            StandardDeviations.Select(m => (IReadOnlyList<double>)at.Select(i => m[i]).ToArray()).ToArray());
    }
}
