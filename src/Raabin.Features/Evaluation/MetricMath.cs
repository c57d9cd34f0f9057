using Raabin.Features.Learning;

namespace Raabin.Features.Evaluation;

/// <summary>
/// The metric formulas on a row-major k×k count buffer (row = truth), shared by <see cref="ClassificationMetrics"/>
/// and the bootstrap so that a resampled metric is computed exactly like the point estimate. Arithmetic follows
/// scikit-learn 1.2.1 step by step (same divisions, NumPy's pairwise summation for means) where that decides the last
/// bits; counts are combined in exact integer arithmetic.
/// </summary>
internal static class MetricMath
{
    public static long RowSum(ReadOnlySpan<long> counts, int k, int row)
    {
        long sum = 0;
        foreach (long value in counts.Slice(row * k, k))
        {
            sum += value;
        }

        return sum;
    }

    public static long ColumnSum(ReadOnlySpan<long> counts, int k, int column)
    {
        long sum = 0;
        for (int t = 0; t < k; t++)
        {
            sum += counts[t * k + column];
        }

        return sum;
    }

    public static long Total(ReadOnlySpan<long> counts)
    {
        long sum = 0;
        foreach (long value in counts)
        {
            sum += value;
        }

        return sum;
    }

    public static long Trace(ReadOnlySpan<long> counts, int k)
    {
        long sum = 0;
        for (int c = 0; c < k; c++)
        {
            sum += counts[c * k + c];
        }

        return sum;
    }

    /// <summary>TP / (TP + FP); 0 when nothing was predicted as the class (zero_division=0).</summary>
    public static double Precision(long truePositives, long predicted) => predicted == 0 ? 0.0 : (double)truePositives / predicted;

    /// <summary>TP / (TP + FN); 0 when the class has no true samples (zero_division=0).</summary>
    public static double Recall(long truePositives, long support) => support == 0 ? 0.0 : (double)truePositives / support;

    /// <summary>scikit-learn's F1 from the rounded precision and recall: 2·P·R / (P + R), 0 when P + R = 0.</summary>
    public static double F1(double precision, double recall)
    {
        double denominator = precision + recall;
        return denominator == 0.0 ? 0.0 : 2.0 * precision * recall / denominator;
    }

    /// <summary>Fraction of correct predictions; NaN for no samples.</summary>
    public static double Accuracy(ReadOnlySpan<long> counts, int k)
    {
        long total = Total(counts);
        return total == 0 ? double.NaN : (double)Trace(counts, k) / total;
    }

    /// <summary>
    /// Mean per-class F1 over all k classes (<paramref name="presentOnly"/> false) or over the classes with at least one
    /// true sample; NaN when there are no samples or (present only) no class is present. <paramref name="scratch"/>
    /// needs k doubles.
    /// </summary>
    public static double MacroF1(ReadOnlySpan<long> counts, int k, bool presentOnly, Span<double> scratch)
    {
        if (Total(counts) == 0)
        {
            return double.NaN;
        }

        int used = 0;
        for (int c = 0; c < k; c++)
        {
            long support = RowSum(counts, k, c);
            if (presentOnly && support == 0)
            {
                continue;
            }

            long tp = counts[c * k + c];
            scratch[used++] = F1(Precision(tp, ColumnSum(counts, k, c)), Recall(tp, support));
        }

        return used == 0 ? double.NaN : NumPySum.Pairwise(scratch[..used]) / used;
    }

    /// <summary>Mean recall over the classes with at least one true sample (scikit-learn's balanced_accuracy_score).</summary>
    public static double BalancedAccuracy(ReadOnlySpan<long> counts, int k, Span<double> scratch)
    {
        int used = 0;
        for (int c = 0; c < k; c++)
        {
            long support = RowSum(counts, k, c);
            if (support > 0)
            {
                scratch[used++] = (double)counts[c * k + c] / support;
            }
        }

        return used == 0 ? double.NaN : NumPySum.Pairwise(scratch[..used]) / used;
    }

    /// <summary>
    /// Cohen's κ = 1 − observed disagreement / chance disagreement, with chance from the row and column sums
    /// (scikit-learn's cohen_kappa_score, unweighted). In counts: 1 − N·(N − trace) / (N² − Σ rowₖ·colₖ), evaluated
    /// exactly in integers; NaN when the chance disagreement is 0 (one single class in truth and predictions) or N = 0.
    /// </summary>
    public static double CohenKappa(ReadOnlySpan<long> counts, int k)
    {
        long total = Total(counts);
        if (total == 0)
        {
            return double.NaN;
        }

        Int128 agreementByChance = 0;
        for (int c = 0; c < k; c++)
        {
            agreementByChance += (Int128)RowSum(counts, k, c) * ColumnSum(counts, k, c);
        }

        Int128 observed = (Int128)(total - Trace(counts, k)) * total;
        Int128 expected = (Int128)total * total - agreementByChance;
        return 1.0 - (double)observed / (double)expected;
    }

    /// <summary>
    /// Multiclass Matthews correlation coefficient (Gorodkin's R_K, scikit-learn's matthews_corrcoef):
    /// (c·s − Σ tₖpₖ) / √((s² − Σ pₖ²)(s² − Σ tₖ²)) with c = trace, s = samples, tₖ/pₖ = row/column sums; 0 when the
    /// denominator is 0 (as scikit-learn); NaN for no samples.
    /// </summary>
    public static double MatthewsCorrelation(ReadOnlySpan<long> counts, int k)
    {
        long total = Total(counts);
        if (total == 0)
        {
            return double.NaN;
        }

        Int128 truePredicted = 0, predictedSquared = 0, trueSquared = 0;
        for (int c = 0; c < k; c++)
        {
            long t = RowSum(counts, k, c);
            long p = ColumnSum(counts, k, c);
            truePredicted += (Int128)t * p;
            predictedSquared += (Int128)p * p;
            trueSquared += (Int128)t * t;
        }

        Int128 totalSquared = (Int128)total * total;
        double covTruePredicted = (double)((Int128)Trace(counts, k) * total - truePredicted);
        double covPredicted = (double)(totalSquared - predictedSquared);
        double covTrue = (double)(totalSquared - trueSquared);
        double product = covTrue * covPredicted;
        return product == 0.0 ? 0.0 : covTruePredicted / Math.Sqrt(product);
    }
}
