using System.Collections.ObjectModel;

namespace Raabin.Features.Evaluation;

/// <summary>
/// Counts of (true class, predicted class) pairs over an ordered class list: row = truth, column = prediction, the
/// layout of scikit-learn's <c>confusion_matrix(y_true, y_pred, labels=classes)</c>. Classes may be absent from the
/// truth (an all-zero row) or never predicted (an all-zero column). Immutable.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    private ConfusionMatrix(IReadOnlyList<string> classes, long[] counts)
    {
        Classes = classes;
        this.counts = counts;
        long total = 0;
        foreach (long count in counts)
        {
            total += count;
        }

        SampleCount = total;
    }

    /// <summary>The ordered class names; index c of every row, column and per-class result refers to Classes[c].</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Number of classes (rows = columns).</summary>
    public int ClassCount => Classes.Count;

    /// <summary>Number of evaluated samples (sum of all cells).</summary>
    public long SampleCount { get; }

    /// <summary>Number of samples of true class <paramref name="trueClass"/> predicted as <paramref name="predictedClass"/>.</summary>
    public long this[int trueClass, int predictedClass]
    {
        get
        {
            CheckIndex(trueClass, nameof(trueClass));
            CheckIndex(predictedClass, nameof(predictedClass));
            return counts[trueClass * ClassCount + predictedClass];
        }
    }

    /// <summary>Counts in row-major order (row = true class), length ClassCount².</summary>
    internal ReadOnlySpan<long> Counts => counts;

    /// <summary>Builds the matrix from class names; every label must be one of <paramref name="classes"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is unknown, or class names repeat.</exception>
    public static ConfusionMatrix FromLabels(IReadOnlyList<string> classes, IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        int[] truthIndices = ClassLabels.ToIndices(classes, truth, "truth");
        int[] predictedIndices = ClassLabels.ToIndices(classes, predicted, "predictions");
        return FromIndices(classes, truthIndices, predictedIndices);
    }

    /// <summary>Builds the matrix from class indices into <paramref name="classes"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, an index is out of range, or class names repeat.</exception>
    public static ConfusionMatrix FromIndices(IReadOnlyList<string> classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        ReadOnlyCollection<string> classList = CopyClasses(classes);
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions.", nameof(predicted));
        }

        int k = classList.Count;
        var counts = new long[k * k];
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i];
            int p = predicted[i];
            if ((uint)t >= (uint)k || (uint)p >= (uint)k)
            {
                throw new ArgumentException($"Sample {i}: class index pair ({t}, {p}) is outside 0..{k - 1}.", nameof(truth));
            }

            counts[t * k + p]++;
        }

        return new ConfusionMatrix(classList, counts);
    }

    /// <summary>Builds the matrix from counts, <c>counts[trueClass, predictedClass]</c>, all ≥ 0.</summary>
    public static ConfusionMatrix FromCounts(IReadOnlyList<string> classes, long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ReadOnlyCollection<string> classList = CopyClasses(classes);
        int k = classList.Count;
        if (counts.GetLength(0) != k || counts.GetLength(1) != k)
        {
            throw new ArgumentException($"Counts are {counts.GetLength(0)}×{counts.GetLength(1)} for {k} classes.", nameof(counts));
        }

        var flat = new long[k * k];
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                long value = counts[t, p];
                if (value < 0)
                {
                    throw new ArgumentException($"Negative count {value} at ({t}, {p}).", nameof(counts));
                }

                flat[t * k + p] = value;
            }
        }

        return new ConfusionMatrix(classList, flat);
    }

    /// <summary>Wraps a row-major count buffer that the caller hands over (no copy, no checks).</summary>
    internal static ConfusionMatrix FromTrustedCounts(IReadOnlyList<string> classes, long[] counts) => new(classes, counts);

    /// <summary>Samples whose true class is <paramref name="classIndex"/> (the row sum; scikit-learn's "support").</summary>
    public long Support(int classIndex)
    {
        CheckIndex(classIndex, nameof(classIndex));
        return MetricMath.RowSum(counts, ClassCount, classIndex);
    }

    /// <summary>Samples predicted as <paramref name="classIndex"/> (the column sum).</summary>
    public long PredictedCount(int classIndex)
    {
        CheckIndex(classIndex, nameof(classIndex));
        return MetricMath.ColumnSum(counts, ClassCount, classIndex);
    }

    /// <summary>The counts as jagged rows (row = true class), e.g. for JSON output.</summary>
    public long[][] ToRows()
    {
        int k = ClassCount;
        var rows = new long[k][];
        for (int t = 0; t < k; t++)
        {
            rows[t] = counts.AsSpan(t * k, k).ToArray();
        }

        return rows;
    }

    /// <summary>All per-class and overall metrics of this matrix (see <see cref="ClassificationMetrics"/>).</summary>
    public ClassificationMetrics ComputeMetrics() => ClassificationMetrics.Compute(this);

    private static ReadOnlyCollection<string> CopyClasses(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new ArgumentException("The class list is empty.", nameof(classes));
        }

        ClassLabels.Lookup(classes);
        return new ReadOnlyCollection<string>([.. classes]);
    }

    private void CheckIndex(int index, string name)
    {
        if ((uint)index >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(name, index, $"Class index must be in 0..{ClassCount - 1}.");
        }
    }
}
