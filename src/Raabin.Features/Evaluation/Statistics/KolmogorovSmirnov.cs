namespace Raabin.Features.Evaluation.Statistics;

/// <summary>How a two-sample Kolmogorov–Smirnov p-value was obtained.</summary>
public enum KolmogorovSmirnovMethod
{
    /// <summary>Exact null distribution of D (no ties assumed), as SciPy's ks_2samp method='exact'.</summary>
    Exact,

    /// <summary>Kolmogorov's limiting distribution of √(n₁n₂/(n₁+n₂))·D.</summary>
    Asymptotic,
}

/// <summary>Two-sample Kolmogorov–Smirnov test result.</summary>
/// <param name="Statistic">D = sup |F₁ − F₂| of the two empirical CDFs, in [0, 1].</param>
/// <param name="PValue">Two-sided p-value P(D ≥ observed) under the null of one continuous distribution.</param>
/// <param name="Method">How <paramref name="PValue"/> was computed.</param>
public sealed record KolmogorovSmirnovResult(double Statistic, double PValue, KolmogorovSmirnovMethod Method);

/// <summary>
/// Two-sample Kolmogorov–Smirnov test, two-sided, following SciPy 1.10's <c>ks_2samp(method='auto')</c>.
/// <para>
/// D is found exactly in integers: with n₁, n₂ the sizes, g = gcd(n₁, n₂) and L = n₁n₂/g, D = h/L where
/// h·g = max over data values x of |c₁(x)·n₂ − c₂(x)·n₁| (cᵢ(x) = values ≤ x in sample i); this is SciPy's rounded
/// statistic in exact mode.
/// </para>
/// <para>
/// p-value: when max(n₁, n₂) ≤ 10 000 (SciPy's limit for 'auto') the exact probability that a uniformly random
/// monotone lattice path from (0, 0) to (n₁, n₂) reaches |i·n₂ − j·n₁| ≥ h·g, computed as a probability recursion
/// that stays in [0, 1] (no overflow, no cancellation; time proportional to the
/// lattice points within the band, at most (n₁ + 1)(n₂ + 1)). Above that, Kolmogorov's limiting distribution
/// Q(λ) at λ = √(n₁n₂/(n₁+n₂))·D; SciPy instead evaluates the exact one-sample distribution at n = round(n₁n₂/(n₁+n₂)),
/// so in that regime p-values differ from SciPy's by O(1/√n).
/// </para>
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>Largest sample size for which the exact p-value is used (SciPy's MAX_AUTO_N).</summary>
    public const int MaxExactSampleSize = 10000;

    /// <summary>Runs the test.</summary>
    /// <exception cref="ArgumentException">A sample is empty or contains NaN.</exception>
    public static KolmogorovSmirnovResult TwoSample(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        double[] a = SortedCopy(first, nameof(first));
        double[] b = SortedCopy(second, nameof(second));
        long n1 = a.Length;
        long n2 = b.Length;
        long g = GreatestCommonDivisor(n1, n2);
        long lcm = n1 / g * n2;

        // Walk the merged order; after consuming every value ≤ x from both samples, compare the CDFs.
        long maxGap = 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            double x = i < a.Length && (j >= b.Length || a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            maxGap = Math.Max(maxGap, Math.Abs(i * n2 - j * n1));
        }

        long h = maxGap / g;
        double statistic = (double)h / lcm;
        if (Math.Max(n1, n2) <= MaxExactSampleSize)
        {
            return new KolmogorovSmirnovResult(statistic, h == 0 ? 1.0 : ExactPValue((int)n1, (int)n2, maxGap), KolmogorovSmirnovMethod.Exact);
        }

        double effective = (double)n1 * n2 / (n1 + n2);
        return new KolmogorovSmirnovResult(statistic, KolmogorovSurvival(Math.Sqrt(effective) * statistic), KolmogorovSmirnovMethod.Asymptotic);
    }

    /// <summary>
    /// Fraction of lattice paths (0, 0) → (m, n) that reach a point with |i·n − j·m| ≥ <paramref name="bound"/>.
    /// v(i, j) = that fraction among paths to (i, j): 1 on reaching points, otherwise the step-weighted mean
    /// (i·v(i−1, j) + j·v(i, j−1))/(i + j) of its two predecessors (a path to (i, j) comes from (i−1, j) with
    /// probability i/(i + j)).
    /// </summary>
    internal static double ExactPValue(int m, int n, long bound)
    {
        // Only the band of points with |i·n − j·m| < bound needs the recursion; every other point is 1. The band's
        // ends move right (weakly) from row to row, so entries right of the band still hold 1 from the start and the
        // entry just left of it is reset to 1 per row.
        var row = new double[n + 1];
        Array.Fill(row, 1.0);
        for (int i = 0; i <= m; i++)
        {
            long below = (long)i * n - bound;
            int first = below < 0 ? 0 : (int)Math.Min(n + 1L, below / m + 1);
            int last = (int)Math.Min(n, ((long)i * n + bound - 1) / m);
            if (first > 0)
            {
                row[first - 1] = 1.0;
            }

            for (int j = first; j <= last; j++)
            {
                if (i == 0 && j == 0)
                {
                    row[j] = 0.0;
                    continue;
                }

                // row[j] still holds v(i − 1, j); row[j − 1] already holds v(i, j − 1).
                double fromLeft = i == 0 ? 0.0 : i * row[j];
                double fromBelow = j == 0 ? 0.0 : j * row[j - 1];
                row[j] = (fromLeft + fromBelow) / (i + j);
            }
        }

        return Math.Min(1.0, row[n]);
    }

    /// <summary>Kolmogorov's Q(λ) = P(K &gt; λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²), with the theta-function form for small λ.</summary>
    internal static double KolmogorovSurvival(double lambda)
    {
        if (lambda <= 0)
        {
            return 1.0;
        }

        if (lambda < 1.0)
        {
            // 1 − (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)), which converges fast for small λ.
            double sum = 0;
            double factor = -Math.PI * Math.PI / (8 * lambda * lambda);
            for (int k = 1; k < 100; k++)
            {
                double term = Math.Exp((2 * k - 1) * (2 * k - 1) * factor);
                sum += term;
                if (term < 1e-17 * sum)
                {
                    break;
                }
            }

            return 1.0 - Math.Sqrt(2 * Math.PI) / lambda * sum;
        }

        double total = 0;
        for (int k = 1; k < 100; k++)
        {
            double term = Math.Exp(-2.0 * k * k * lambda * lambda);
            total += (k % 2 == 1 ? term : -term);
            if (term < 1e-17 * total)
            {
                break;
            }
        }

        return Math.Clamp(2 * total, 0.0, 1.0);
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static double[] SortedCopy(ReadOnlySpan<double> sample, string name)
    {
        if (sample.IsEmpty)
        {
            throw new ArgumentException("A Kolmogorov–Smirnov sample is empty.", name);
        }

        double[] copy = sample.ToArray();
        foreach (double value in copy)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("A Kolmogorov–Smirnov sample contains NaN.", name);
            }
        }

        Array.Sort(copy);
        return copy;
    }
}
