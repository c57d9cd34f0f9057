namespace Raabin.Features.Evaluation;

/// <summary>One class of a differential count.</summary>
/// <param name="Class">The class.</param>
/// <param name="Count">Cells given this class.</param>
/// <param name="Fraction">Count / cells classified (NaN when none was).</param>
/// <param name="Lower">Lower bound of the Wilson score interval of the fraction.</param>
/// <param name="Upper">Upper bound of the Wilson score interval of the fraction.</param>
public sealed record DifferentialRow(string Class, int Count, double Fraction, double Lower, double Upper);

/// <summary>
/// A differential count: how many of a slide's classified cells each class has, as a fraction with a Wilson score interval
/// (Wilson 1927; per class, binomial: the classes' intervals are not simultaneous). It counts the classifier's labels,
/// so it inherits the classifier's errors: the intervals cover sampling, not misclassification.
/// </summary>
/// <param name="Classes">Every class of the model, in its order, including those with no cell.</param>
/// <param name="Classified">Cells with a label.</param>
/// <param name="NotClassified">Cells without one (unreadable image, failed segmentation).</param>
/// <param name="ConfidenceLevel">The intervals' level.</param>
public sealed record DifferentialCount(IReadOnlyList<DifferentialRow> Classes, int Classified, int NotClassified, double ConfidenceLevel)
{
    /// <summary>Counts <paramref name="labels"/> (null: the cell was not classified) over <paramref name="classes"/>.</summary>
    /// <exception cref="ArgumentException">A label not among the classes, or a level outside (0, 1).</exception>
    public static DifferentialCount Of(IReadOnlyList<string> classes, IEnumerable<string?> labels, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(labels);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentException($"confidence level {confidenceLevel} must be in (0, 1)", nameof(confidenceLevel));
        }

        var counts = classes.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        int none = 0;
        foreach (string? label in labels)
        {
            if (label is null)
            {
                none++;
            }
            else if (!counts.TryAdd(label, 0))
            {
                counts[label]++;
            }
            else
            {
                throw new ArgumentException($"label '{label}' is not one of the classes ({string.Join(", ", classes)})", nameof(labels));
            }
        }

        int n = counts.Values.Sum();
        double z = NormalQuantile(1 - ((1 - confidenceLevel) / 2));
        var rows = classes.Select(c =>
        {
            var (lower, upper) = Wilson(counts[c], n, z);
            return new DifferentialRow(c, counts[c], n == 0 ? double.NaN : (double)counts[c] / n, lower, upper);
        }).ToList();
        return new DifferentialCount(rows, n, none, confidenceLevel);
    }

    /// <summary>The Wilson score interval of <paramref name="count"/> successes in <paramref name="n"/> trials (NaN for n = 0).</summary>
    public static (double Lower, double Upper) Wilson(int count, int n, double z)
    {
        if (n == 0)
        {
            return (double.NaN, double.NaN);
        }

        double p = (double)count / n, z2 = z * z;
        double centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        double half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / (1 + (z2 / n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9; e.g. 1.959964 for
    /// 0.975).
    /// </summary>
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a probability in (0, 1)");
        }

        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low || p > 1 - low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p < low ? p : 1 - p));
            double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            return p < low ? x : -x;
        }

        double r = p - 0.5, s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
