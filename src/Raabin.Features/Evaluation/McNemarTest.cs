namespace Raabin.Features.Evaluation;

/// <summary>
/// Outcome of the exact McNemar test on two models' predictions for the same samples.
/// </summary>
/// <param name="BothCorrect">Samples both models got right.</param>
/// <param name="OnlyFirstCorrect">b: samples only the first model (A) got right.</param>
/// <param name="OnlySecondCorrect">c: samples only the second model (B) got right.</param>
/// <param name="BothWrong">Samples both models got wrong.</param>
/// <param name="PValue">Two-sided exact p-value, see <see cref="McNemarTest.ExactPValue"/>; in (0, 1], may underflow to 0.</param>
/// <param name="NaturalLogPValue">ln of the p-value, finite even where <paramref name="PValue"/> underflows.</param>
public sealed record McNemarResult(long BothCorrect, long OnlyFirstCorrect, long OnlySecondCorrect, long BothWrong, double PValue, double NaturalLogPValue);

/// <summary>
/// The exact (binomial) McNemar test: under the null hypothesis that both models are equally accurate, each of the
/// b + c discordant samples is equally likely to favour either model, so min(b, c) ~ Bin(b + c, 1/2) and
/// p = min(1, 2·P(X ≤ min(b, c))); p = 1 when b + c = 0. This equals SciPy 1.10's
/// <c>binomtest(min(b, c), b + c, 0.5, alternative='two-sided').pvalue</c> (checked by the golden tests).
/// </summary>
/// <remarks>
/// The binomial tail is summed in log space so that it neither underflows nor loses precision for large b + c:
/// the largest term P(X = m) comes from Loader's saddle-point formula (Stirling-error and deviance terms, C. Loader,
/// "Fast and accurate computation of binomial probabilities", 2000) and the smaller terms from exact ratios.
/// Relative accuracy is about 1e-13.
/// </remarks>
public static class McNemarTest
{
    private const double LnTwo = 0.69314718055994530942;
    private const double HalfLnTwoPi = 0.91893853320467274178;

    /// <summary>Runs the test on correctness flags of two models for the same samples.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static McNemarResult Compare(ReadOnlySpan<bool> firstCorrect, ReadOnlySpan<bool> secondCorrect)
    {
        if (firstCorrect.Length != secondCorrect.Length)
        {
            throw new ArgumentException($"{firstCorrect.Length} results for the first model but {secondCorrect.Length} for the second.", nameof(secondCorrect));
        }

        long both = 0, onlyFirst = 0, onlySecond = 0, neither = 0;
        for (int i = 0; i < firstCorrect.Length; i++)
        {
            if (firstCorrect[i])
            {
                if (secondCorrect[i])
                {
                    both++;
                }
                else
                {
                    onlyFirst++;
                }
            }
            else if (secondCorrect[i])
            {
                onlySecond++;
            }
            else
            {
                neither++;
            }
        }

        double logP = LogExactPValue(onlyFirst, onlySecond);
        return new McNemarResult(both, onlyFirst, onlySecond, neither, Math.Exp(logP), logP);
    }

    /// <summary>Two-sided exact p-value for <paramref name="b"/> and <paramref name="c"/> discordant pairs (both ≥ 0).</summary>
    public static double ExactPValue(long b, long c) => Math.Exp(LogExactPValue(b, c));

    /// <summary>Natural logarithm of <see cref="ExactPValue"/> (≤ 0), without underflow.</summary>
    public static double LogExactPValue(long b, long c)
    {
        if (b < 0 || c < 0)
        {
            throw new ArgumentOutOfRangeException(b < 0 ? nameof(b) : nameof(c), "Discordant pair counts must be ≥ 0.");
        }

        long n = b + c;
        long m = Math.Min(b, c);
        if (2 * m >= n - 1)
        {
            // min(b, c) is the median or next to it: 2·P(X ≤ m) ≥ 1 by symmetry (includes n = 0).
            return 0.0;
        }

        // P(X ≤ m) = P(X = m)·(1 + r_m + r_m·r_{m−1} + …) with P(X = x − 1)/P(X = x) = x/(n − x + 1) < 1.
        double sum = 1.0;
        double term = 1.0;
        for (long x = m; x > 0; x--)
        {
            term *= (double)x / (n - x + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        double logP = LnTwo + LogBinomialHalfPmf(n, m) + Math.Log(sum);
        return Math.Min(0.0, logP);
    }

    /// <summary>ln P(X = x) for X ~ Bin(n, 1/2), 0 ≤ x ≤ n.</summary>
    internal static double LogBinomialHalfPmf(long n, long x)
    {
        if (x == 0 || x == n)
        {
            return -n * LnTwo;
        }

        double half = n / 2.0;
        return StirlingError(n) - StirlingError(x) - StirlingError(n - x) - Deviance(x, half) - Deviance(n - x, half)
            + 0.5 * Math.Log(n / (2.0 * Math.PI * x * (n - x)));
    }

    /// <summary>ln(n!) − ln(√(2πn)·(n/e)ⁿ), the error of Stirling's formula, for n ≥ 1.</summary>
    internal static double StirlingError(long n)
    {
        if (n <= 15)
        {
            double logFactorial = 0;
            for (int i = 2; i <= n; i++)
            {
                logFactorial += Math.Log(i);
            }

            return logFactorial - (n + 0.5) * Math.Log(n) + n - HalfLnTwoPi;
        }

        // Asymptotic series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹).
        const double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188;
        double nn = (double)n * n;
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
    }

    /// <summary>x·ln(x/μ) + μ − x, summed as a series near x = μ to avoid cancellation (Loader's bd0).</summary>
    internal static double Deviance(double x, double mean)
    {
        if (Math.Abs(x - mean) < 0.1 * (x + mean))
        {
            double v = (x - mean) / (x + mean);
            double s = (x - mean) * v;
            double ej = 2 * x * v;
            v *= v;
            for (int j = 1; j < 1000; j++)
            {
                ej *= v;
                double next = s + ej / (2 * j + 1);
                if (next == s)
                {
                    return next;
                }

                s = next;
            }

            return s;
        }

        return x * Math.Log(x / mean) + mean - x;
    }
}
