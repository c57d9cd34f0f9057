using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Raabin.Features.Learning.Svm;

/// <summary>
/// The element-wise vector updates of the SMO solver (gradient and Ḡ updates). Each element is computed with the
/// same operations in the same order as LIBSVM's scalar loop (float column entry widened to double, multiplied,
/// summed, then added), so the SIMD path gives bit-identical results; the scalar twins are what the tests compare it
/// with. There is no fused multiply-add anywhere.
/// </summary>
internal static class GradientMath
{
    /// <summary>target[k] += (a[k]·scaleA + b[k]·scaleB), k in [0, target.Length).</summary>
    public static void AddTwoScaledColumns(Span<double> target, ReadOnlySpan<float> a, double scaleA, ReadOnlySpan<float> b, double scaleB)
    {
        int n = target.Length;
        if (a.Length < n || b.Length < n)
        {
            throw new ArgumentException("Columns are shorter than the target.");
        }

        ref double t = ref MemoryMarshal.GetReference(target);
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var sa = Vector256.Create(scaleA);
            var sb = Vector256.Create(scaleB);
            for (; k + 8 <= n; k += 8)
            {
                Vector256<float> va = Vector256.LoadUnsafe(ref ra, (nuint)k);
                Vector256<float> vb = Vector256.LoadUnsafe(ref rb, (nuint)k);
                Vector256<double> t0 = Vector256.LoadUnsafe(ref t, (nuint)k);
                Vector256<double> t1 = Vector256.LoadUnsafe(ref t, (nuint)(k + 4));
                t0 += (Vector256.WidenLower(va) * sa) + (Vector256.WidenLower(vb) * sb);
                t1 += (Vector256.WidenUpper(va) * sa) + (Vector256.WidenUpper(vb) * sb);
                t0.StoreUnsafe(ref t, (nuint)k);
                t1.StoreUnsafe(ref t, (nuint)(k + 4));
            }
        }

        for (; k < n; k++)
        {
            Unsafe.Add(ref t, k) += (Unsafe.Add(ref ra, k) * scaleA) + (Unsafe.Add(ref rb, k) * scaleB);
        }
    }

    /// <summary>target[k] += a[k]·scale (scale may be negative only through its value; see <see cref="SubtractScaledColumn"/>).</summary>
    public static void AddScaledColumn(Span<double> target, ReadOnlySpan<float> a, double scale)
    {
        int n = target.Length;
        if (a.Length < n)
        {
            throw new ArgumentException("Column is shorter than the target.");
        }

        ref double t = ref MemoryMarshal.GetReference(target);
        ref float ra = ref MemoryMarshal.GetReference(a);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; k + 8 <= n; k += 8)
            {
                Vector256<float> va = Vector256.LoadUnsafe(ref ra, (nuint)k);
                Vector256<double> t0 = Vector256.LoadUnsafe(ref t, (nuint)k);
                Vector256<double> t1 = Vector256.LoadUnsafe(ref t, (nuint)(k + 4));
                t0 += Vector256.WidenLower(va) * s;
                t1 += Vector256.WidenUpper(va) * s;
                t0.StoreUnsafe(ref t, (nuint)k);
                t1.StoreUnsafe(ref t, (nuint)(k + 4));
            }
        }

        for (; k < n; k++)
        {
            Unsafe.Add(ref t, k) += Unsafe.Add(ref ra, k) * scale;
        }
    }

    /// <summary>target[k] −= a[k]·scale (LIBSVM's Ḡ update when a variable leaves its upper bound).</summary>
    public static void SubtractScaledColumn(Span<double> target, ReadOnlySpan<float> a, double scale)
    {
        int n = target.Length;
        if (a.Length < n)
        {
            throw new ArgumentException("Column is shorter than the target.");
        }

        ref double t = ref MemoryMarshal.GetReference(target);
        ref float ra = ref MemoryMarshal.GetReference(a);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; k + 8 <= n; k += 8)
            {
                Vector256<float> va = Vector256.LoadUnsafe(ref ra, (nuint)k);
                Vector256<double> t0 = Vector256.LoadUnsafe(ref t, (nuint)k);
                Vector256<double> t1 = Vector256.LoadUnsafe(ref t, (nuint)(k + 4));
                t0 -= Vector256.WidenLower(va) * s;
                t1 -= Vector256.WidenUpper(va) * s;
                t0.StoreUnsafe(ref t, (nuint)k);
                t1.StoreUnsafe(ref t, (nuint)(k + 4));
            }
        }

        for (; k < n; k++)
        {
            Unsafe.Add(ref t, k) -= Unsafe.Add(ref ra, k) * scale;
        }
    }

    /// <summary>Scalar twin of <see cref="AddTwoScaledColumns"/>: LIBSVM's loop as written.</summary>
    public static void AddTwoScaledColumnsScalar(Span<double> target, ReadOnlySpan<float> a, double scaleA, ReadOnlySpan<float> b, double scaleB)
    {
        for (int k = 0; k < target.Length; k++)
        {
            target[k] += (a[k] * scaleA) + (b[k] * scaleB);
        }
    }

    /// <summary>Scalar twin of <see cref="AddScaledColumn"/>.</summary>
    public static void AddScaledColumnScalar(Span<double> target, ReadOnlySpan<float> a, double scale)
    {
        for (int k = 0; k < target.Length; k++)
        {
            target[k] += a[k] * scale;
        }
    }

    /// <summary>Scalar twin of <see cref="SubtractScaledColumn"/>.</summary>
    public static void SubtractScaledColumnScalar(Span<double> target, ReadOnlySpan<float> a, double scale)
    {
        for (int k = 0; k < target.Length; k++)
        {
            target[k] -= a[k] * scale;
        }
    }
}
