using Raabin.Features.Learning;

namespace Raabin.Features.Pipeline;

/// <summary>
/// The "outside the training distribution" half of a model's reject rule: a cell whose distance from its predicted
/// class (<see cref="ClassFeatureStatistics.Distance"/>: RMS over features of the deviation from the class mean in pooled
/// within-class SDs, raw units) exceeds <see cref="MaximumDistance"/> is written <c>not_recognised</c>, whatever its
/// probability. <see cref="MaximumDistance"/> is the <see cref="Quantile"/> of the training cells' distances from their
/// own class, so about 1 − <see cref="Quantile"/> of cells like the training ones are rejected.
/// </summary>
/// <param name="Quantile">The training quantile the threshold was set at, in (0, 1].</param>
/// <param name="MaximumDistance">The distance above which a cell is rejected.</param>
public sealed record OutOfDistributionRule(double Quantile, double MaximumDistance)
{
    /// <summary>
    /// The rule at <paramref name="quantile"/> of the distances of <paramref name="rows"/> (raw features in the
    /// statistics' order) from their own class (<paramref name="labels"/>); the quantile is the nearest rank (the
    /// smallest distance with at least that share of rows at or below it).
    /// </summary>
    /// <exception cref="ArgumentException">A quantile outside (0, 1], no rows, or a label the statistics do not have.</exception>
    public static OutOfDistributionRule Fit(ClassFeatureStatistics statistics, IReadOnlyList<double[]> rows, IReadOnlyList<string> labels, double quantile)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (!(quantile > 0 && quantile <= 1))
        {
            throw new ArgumentException($"the out-of-distribution quantile {quantile} must be in (0, 1]");
        }

        if (rows.Count == 0)
        {
            throw new ArgumentException("the out-of-distribution rule needs training rows");
        }

        var index = statistics.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var distances = new double[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            int c = index.TryGetValue(labels[r], out int found) ? found : throw new ArgumentException($"training label '{labels[r]}' is not a class of the model");
            distances[r] = statistics.Distance(rows[r], c);
        }

        Array.Sort(distances);
        int rank = Math.Max(1, (int)Math.Ceiling(quantile * distances.Length));
        return new OutOfDistributionRule(quantile, distances[rank - 1]);
    }

    /// <summary>Why a cell at <paramref name="distance"/> from <paramref name="label"/> is rejected, or null when it is not.</summary>
    public string? Reject(string label, double distance) => distance > MaximumDistance
        ? FormattableString.Invariant($"not recognised: outside the training distribution ({distance:F2} pooled SDs from {label}'s mean, above the model's {MaximumDistance:F2}, the {Quantile:R} quantile of its training cells)")
        : null;
}
