namespace Raabin.Features.Learning;

/// <summary>
/// NumPy's summation order for a contiguous float64 array (<c>np.add.reduce</c>): the array is reduced in chunks of 8192
/// values (its iterator's buffer), chunk totals added in order, and each chunk summed pairwise (blocks of 128 with eight
/// interleaved accumulators), so that quantities the reference computed with NumPy (γ = "scale") come out bit for bit.
/// </summary>
internal static class NumPySum
{
    private const int BlockSize = 128;
    private const int BufferSize = 8192;

    /// <summary>Sum as NumPy's <c>np.sum</c> computes it for a contiguous float64 array.</summary>
    public static double Sum(ReadOnlySpan<double> a)
    {
        double total = 0;
        for (int start = 0; start < a.Length; start += BufferSize)
        {
            total += Pairwise(a.Slice(start, Math.Min(BufferSize, a.Length - start)));
        }

        return total;
    }

    /// <summary>NumPy's <c>pairwise_sum</c> of one chunk.</summary>
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

    /// <summary>Population variance as NumPy's <c>x.var()</c>: mean by <see cref="Sum"/>, then the sum of squared deviations.</summary>
    public static double Variance(ReadOnlySpan<double> a)
    {
        double mean = Sum(a) / a.Length;
        var squares = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - mean;
            squares[i] = d * d;
        }

        return Sum(squares) / a.Length;
    }
}
