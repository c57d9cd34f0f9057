using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Raabin.Features.Learning.Svm;

/// <summary>
/// The C-SVC matrix Q[i,j] = y_i·y_j·K(x_i, x_j) of one binary problem (LIBSVM's <c>SVC_Q</c>): columns are computed
/// on demand, rounded to float and kept in a <see cref="KernelCache"/>; the diagonal is kept in double
/// (<c>QD</c>). Positions can be swapped (the solver's shrinking moves inactive points to the end).
/// </summary>
internal sealed class SvcQMatrix
{
    private readonly double[] features;
    private readonly int featureCount;
    private readonly SvmKernel kernel;
    private readonly KernelCache cache;

    // Position -> offset of that point's features in `features`; permuted by SwapIndex.
    private readonly int[] offsets;
    private readonly sbyte[] labels;
    private readonly double[] diagonal;
    private readonly double[]? squaredNorms;
    private readonly double[] dots;

    /// <summary>Creates Q for the points <paramref name="rows"/> of a row-major feature matrix.</summary>
    /// <param name="features">Row-major features, <paramref name="featureCount"/> per row.</param>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="rows">Rows of the problem in problem order.</param>
    /// <param name="labels">+1 or −1 per problem point.</param>
    /// <param name="kernel">The kernel.</param>
    /// <param name="cacheBytes">Kernel cache budget in bytes.</param>
    public SvcQMatrix(double[] features, int featureCount, ReadOnlySpan<int> rows, ReadOnlySpan<sbyte> labels, SvmKernel kernel, long cacheBytes)
    {
        this.features = features;
        this.featureCount = featureCount;
        this.kernel = kernel;
        int count = rows.Length;
        offsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            offsets[i] = rows[i] * featureCount;
        }

        this.labels = labels.ToArray();
        cache = new KernelCache(count, cacheBytes);
        dots = new double[count];
        if (kernel.NeedsSquaredNorms)
        {
            squaredNorms = new double[count];
            for (int i = 0; i < count; i++)
            {
                squaredNorms[i] = KernelMath.Dot(Row(i), Row(i));
            }
        }

        diagonal = new double[count];
        for (int i = 0; i < count; i++)
        {
            diagonal[i] = KernelAt(i, i);
        }
    }

    /// <summary>The diagonal Q[i,i] = K(x_i, x_i) in double (LIBSVM's <c>QD</c>), in current position order.</summary>
    public double[] Diagonal => diagonal;

    /// <summary>Column <paramref name="i"/> of Q, valid in <c>[0, length)</c>.</summary>
    public float[] GetColumn(int i, int length)
    {
        int start = cache.GetColumn(i, length, out float[] column);
        if (start < length)
        {
            FillColumn(i, start, length, column);
        }

        return column;
    }

    /// <summary>Swaps problem positions <paramref name="i"/> and <paramref name="j"/>.</summary>
    public void SwapIndex(int i, int j)
    {
        cache.SwapIndex(i, j);
        (offsets[i], offsets[j]) = (offsets[j], offsets[i]);
        if (squaredNorms is not null)
        {
            (squaredNorms[i], squaredNorms[j]) = (squaredNorms[j], squaredNorms[i]);
        }

        (labels[i], labels[j]) = (labels[j], labels[i]);
        (diagonal[i], diagonal[j]) = (diagonal[j], diagonal[i]);
    }

    /// <summary>K(x_i, x_j) by the training path (no label signs), for the points now at positions i and j.</summary>
    public double KernelAt(int i, int j)
    {
        double dot = KernelMath.Dot(Row(i), Row(j));
        return squaredNorms is null ? kernel.FromDot(dot, 0, 0) : kernel.FromDot(dot, squaredNorms[i], squaredNorms[j]);
    }

    /// <summary>Computes entries <c>[start, end)</c> of column <paramref name="i"/>.</summary>
    internal void FillColumn(int i, int start, int end, float[] column)
    {
        ComputeDots(i, start, end, dots);
        int labelI = labels[i];
        double squareI = squaredNorms is null ? 0 : squaredNorms[i];
        for (int j = start; j < end; j++)
        {
            double k = kernel.FromDot(dots[j], squareI, squaredNorms is null ? 0 : squaredNorms[j]);

            // LIBSVM: (Qfloat)(y[i]*y[j]*kernel) - an int product of the labels times the double kernel value.
            column[j] = (float)(labelI * labels[j] * k);
        }
    }

    /// <summary>Dot products of point i with points <c>[start, end)</c>, four at a time (each one bit-identical to <see cref="KernelMath.Dot"/>).</summary>
    internal void ComputeDots(int i, int start, int end, double[] output)
    {
        ref double data = ref MemoryMarshal.GetArrayDataReference(features);
        ref double xi = ref Unsafe.Add(ref data, offsets[i]);
        int n = featureCount;
        int j = start;
        for (; j + 4 <= end; j += 4)
        {
            KernelMath.Dot4(
                ref xi,
                ref Unsafe.Add(ref data, offsets[j]),
                ref Unsafe.Add(ref data, offsets[j + 1]),
                ref Unsafe.Add(ref data, offsets[j + 2]),
                ref Unsafe.Add(ref data, offsets[j + 3]),
                n,
                out output[j],
                out output[j + 1],
                out output[j + 2],
                out output[j + 3]);
        }

        for (; j < end; j++)
        {
            output[j] = KernelMath.Dot(Row(i), Row(j));
        }
    }

    private ReadOnlySpan<double> Row(int position) => new(features, offsets[position], featureCount);
}
