namespace Raabin.Features.Learning;

/// <summary>
/// NumPy's summation order for a contiguous float64 array (<c>np.add.reduce</c>: pairwise, blocks of 128 with eight
/// interleaved accumulators), so that quantities the reference computed with NumPy (γ = "scale") come out bit for bit.
/// </summary>
internal static class NumPySum
{
    private const int BlockSize = 128;

    /// <summary>Sum as NumPy computes it.</summary>
    public static double Pairwise(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0;
            for (int i = 0; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        if (n <= BlockSize)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }

            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        int half = n / 2;
        half -= half % 8;
        return Pairwise(a[..half]) + Pairwise(a[half..]);
    }

    /// <summary>Population variance as NumPy's <c>x.var()</c>: mean by pairwise sum, then the pairwise sum of squared deviations.</summary>
    public static double Variance(ReadOnlySpan<double> a)
    {
        double mean = Pairwise(a) / a.Length;
        var squares = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - mean;
            squares[i] = d * d;
        }

        return Pairwise(squares) / a.Length;
    }
}
