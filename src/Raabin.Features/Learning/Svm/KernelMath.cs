using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Raabin.Features.Learning.Svm;

/// <summary>The arithmetic LIBSVM 3.24 uses inside its kernels, reproduced operation for operation.</summary>
internal static class KernelMath
{
    /// <summary>
    /// &lt;x, y&gt; as one running sum in index order starting from +0 (LIBSVM's <c>Kernel::dot</c>). No SIMD and no
    /// fused multiply-add: either would change the rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Unsafe.Add(ref xr, i) * Unsafe.Add(ref yr, i);
        }

        return sum;
    }

    /// <summary>
    /// Four dot products &lt;x, y0&gt; … &lt;x, y3&gt; at once. Each is the same running sum in the same order as
    /// <see cref="Dot"/> (so bit-identical to it); interleaving four independent sums only lets the processor
    /// overlap their additions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(
        ref double x, ref double y0, ref double y1, ref double y2, ref double y3, int length,
        out double sum0, out double sum1, out double sum2, out double sum3)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < length; i++)
        {
            double xi = Unsafe.Add(ref x, i);
            s0 += xi * Unsafe.Add(ref y0, i);
            s1 += xi * Unsafe.Add(ref y1, i);
            s2 += xi * Unsafe.Add(ref y2, i);
            s3 += xi * Unsafe.Add(ref y3, i);
        }

        sum0 = s0;
        sum1 = s1;
        sum2 = s2;
        sum3 = s3;
    }

    /// <summary>
    /// <paramref name="value"/> to the integer power <paramref name="times"/> by binary exponentiation, multiplying in
    /// the order LIBSVM's <c>powi</c> does (result starts at 1; times ≤ 0 gives 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Powi(double value, int times)
    {
        double square = value;
        double result = 1.0;
        for (int t = times; t > 0; t /= 2)
        {
            if (t % 2 == 1)
            {
                result *= square;
            }

            square *= square;
        }

        return result;
    }

    public static void RequireGamma(double gamma)
    {
        if (!(gamma >= 0) || double.IsInfinity(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Kernel gamma must be a finite number at least 0.");
        }
    }

    public static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Kernel parameter must be finite.");
        }
    }
}
