using Raabin.Features.Evaluation.Statistics;
using Raabin.Features.Learning;

namespace Raabin.Features.Evaluation;

/// <summary>How <see cref="DomainShift.Rank"/> orders features.</summary>
public enum ShiftRankingOrder
{
    /// <summary>Largest |standardised mean difference| first.</summary>
    AbsoluteStandardizedMeanDifference,

    /// <summary>Largest Kolmogorov–Smirnov D first.</summary>
    KolmogorovSmirnovStatistic,
}

/// <summary>How one feature's distribution differs between a source sample A and a target sample B.</summary>
/// <param name="FeatureId">Feature id.</param>
/// <param name="CountA">Non-NaN values in A.</param>
/// <param name="CountB">Non-NaN values in B.</param>
/// <param name="MeanA">Mean of A; NaN when A has no values.</param>
/// <param name="MeanB">Mean of B; NaN when B has no values.</param>
/// <param name="StandardDeviationA">Sample standard deviation of A (n − 1 denominator); NaN below 2 values.</param>
/// <param name="StandardDeviationB">Sample standard deviation of B (n − 1 denominator); NaN below 2 values.</param>
/// <param name="PooledStandardDeviation">√(((n_A − 1)s_A² + (n_B − 1)s_B²)/(n_A + n_B − 2)); NaN when n_A + n_B &lt; 3 or a side is empty.</param>
/// <param name="StandardizedMeanDifference">Cohen's d = (mean_B − mean_A)/pooled SD, in feature SDs; NaN when the pooled SD is 0 or undefined.</param>
/// <param name="KolmogorovSmirnovStatistic">Two-sample KS D, in [0, 1]; NaN when a side is empty.</param>
/// <param name="KolmogorovSmirnovPValue">Its two-sided p-value; NaN when a side is empty.</param>
public sealed record FeatureShift(
    string FeatureId,
    int CountA,
    int CountB,
    double MeanA,
    double MeanB,
    double StandardDeviationA,
    double StandardDeviationB,
    double PooledStandardDeviation,
    double StandardizedMeanDifference,
    double KolmogorovSmirnovStatistic,
    double KolmogorovSmirnovPValue);

/// <summary>
/// Per-feature domain-shift statistics between two samples (e.g. the features of one acquisition domain against
/// another): standardised mean difference with pooled SD and the two-sample Kolmogorov–Smirnov test
/// (<see cref="KolmogorovSmirnov"/>). NaN values (cells without features) are left out of both samples first.
/// Means and sums of squares use NumPy's pairwise summation order.
/// </summary>
public static class DomainShift
{
    /// <summary>Statistics of one feature; <paramref name="sampleA"/> is the source, <paramref name="sampleB"/> the target.</summary>
    public static FeatureShift Measure(string featureId, ReadOnlySpan<double> sampleA, ReadOnlySpan<double> sampleB)
    {
        double[] a = WithoutNaN(sampleA);
        double[] b = WithoutNaN(sampleB);
        double meanA = Mean(a);
        double meanB = Mean(b);
        double varianceA = SampleVariance(a, meanA);
        double varianceB = SampleVariance(b, meanB);
        double pooled = PooledStandardDeviation(a.Length, varianceA, b.Length, varianceB);
        double smd = pooled > 0 ? (meanB - meanA) / pooled : double.NaN;
        KolmogorovSmirnovResult? ks = a.Length > 0 && b.Length > 0 ? KolmogorovSmirnov.TwoSample(a, b) : null;
        return new FeatureShift(
            featureId, a.Length, b.Length, meanA, meanB, Math.Sqrt(varianceA), Math.Sqrt(varianceB), pooled, smd,
            ks?.Statistic ?? double.NaN, ks?.PValue ?? double.NaN);
    }

    /// <summary>Cohen's d = (mean_B − mean_A)/pooled SD of two samples (NaN values dropped); see <see cref="FeatureShift"/>.</summary>
    public static double StandardizedMeanDifference(ReadOnlySpan<double> sampleA, ReadOnlySpan<double> sampleB)
    {
        double[] a = WithoutNaN(sampleA);
        double[] b = WithoutNaN(sampleB);
        double meanA = Mean(a);
        double meanB = Mean(b);
        double pooled = PooledStandardDeviation(a.Length, SampleVariance(a, meanA), b.Length, SampleVariance(b, meanB));
        return pooled > 0 ? (meanB - meanA) / pooled : double.NaN;
    }

    /// <summary>
    /// Measures every feature and orders them by <paramref name="order"/>, largest shift first; NaN statistics sort
    /// last and ties keep feature-id ordinal order.
    /// </summary>
    /// <param name="featureIds">Feature ids, one per column.</param>
    /// <param name="columnsA">Source sample, one array of values per feature.</param>
    /// <param name="columnsB">Target sample, one array of values per feature.</param>
    /// <param name="order">Ranking key.</param>
    public static IReadOnlyList<FeatureShift> Rank(
        IReadOnlyList<string> featureIds, IReadOnlyList<double[]> columnsA, IReadOnlyList<double[]> columnsB,
        ShiftRankingOrder order = ShiftRankingOrder.AbsoluteStandardizedMeanDifference)
    {
        ArgumentNullException.ThrowIfNull(featureIds);
        if (columnsA.Count != featureIds.Count || columnsB.Count != featureIds.Count)
        {
            throw new ArgumentException($"{featureIds.Count} feature ids but {columnsA.Count} and {columnsB.Count} columns.", nameof(featureIds));
        }

        var shifts = new List<FeatureShift>(featureIds.Count);
        for (int f = 0; f < featureIds.Count; f++)
        {
            shifts.Add(Measure(featureIds[f], columnsA[f], columnsB[f]));
        }

        shifts.Sort((x, y) =>
        {
            double kx = Key(x, order);
            double ky = Key(y, order);
            int byKey = double.IsNaN(kx) || double.IsNaN(ky)
                ? double.IsNaN(kx).CompareTo(double.IsNaN(ky))
                : ky.CompareTo(kx);
            return byKey != 0 ? byKey : string.CompareOrdinal(x.FeatureId, y.FeatureId);
        });
        return shifts.AsReadOnly();
    }

    private static double Key(FeatureShift shift, ShiftRankingOrder order) => order switch
    {
        ShiftRankingOrder.AbsoluteStandardizedMeanDifference => Math.Abs(shift.StandardizedMeanDifference),
        ShiftRankingOrder.KolmogorovSmirnovStatistic => shift.KolmogorovSmirnovStatistic,
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown ranking order."),
    };

    private static double PooledStandardDeviation(int countA, double varianceA, int countB, double varianceB)
    {
        if (countA < 1 || countB < 1 || countA + countB < 3)
        {
            return double.NaN;
        }

        // A side with one value has no variance of its own but contributes (n − 1)·s² = 0.
        double sumA = countA > 1 ? (countA - 1) * varianceA : 0.0;
        double sumB = countB > 1 ? (countB - 1) * varianceB : 0.0;
        return Math.Sqrt((sumA + sumB) / (countA + countB - 2));
    }

    private static double Mean(double[] values) => values.Length == 0 ? double.NaN : NumPySum.Pairwise(values) / values.Length;

    /// <summary>Σ(x − mean)²/(n − 1), as NumPy's var(ddof=1); NaN below two values.</summary>
    private static double SampleVariance(double[] values, double mean)
    {
        if (values.Length < 2)
        {
            return double.NaN;
        }

        var squares = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double deviation = values[i] - mean;
            squares[i] = deviation * deviation;
        }

        return NumPySum.Pairwise(squares) / (values.Length - 1);
    }

    private static double[] WithoutNaN(ReadOnlySpan<double> values)
    {
        var kept = new List<double>(values.Length);
        foreach (double value in values)
        {
            if (!double.IsNaN(value))
            {
                kept.Add(value);
            }
        }

        return kept.ToArray();
    }
}
