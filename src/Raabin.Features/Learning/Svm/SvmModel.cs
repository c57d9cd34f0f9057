using System.Buffers;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Raabin.Features.Learning.Svm;

/// <summary>
/// A trained one-vs-one C-SVC, laid out as LIBSVM 3.24's <c>svm_model</c> so that it predicts as
/// <c>svm_predict_values</c> / <c>svm_predict_probability</c> do. Immutable.
/// </summary>
/// <remarks>
/// <para>Classes are indices 0..k−1. The k(k−1)/2 binary problems ("pairs") are ordered (0,1), (0,2), …, (0,k−1),
/// (1,2), …; in pair (i, j) class i is the positive side, so a decision value above 0 is a vote for i.</para>
/// <para>Support vectors are grouped by class (all of class 0 first) and keep their training order within a class.
/// <see cref="Coefficients"/> has LIBSVM's <c>sv_coef</c> layout: for pair (i, j), the coefficients y·α of class-i
/// vectors are in row j − 1 and those of class-j vectors in row i, at the vectors' own columns.</para>
/// </remarks>
public sealed class SvmModel
{
    private readonly double[] supportVectors;
    private readonly double[][] coefficients;
    private readonly double[] rho;
    private readonly double[]? probabilityA;
    private readonly double[]? probabilityB;
    private readonly int[] supportVectorCounts;
    private readonly int[] classStarts;

    /// <summary>Rebuilds a model from its parts (all arrays are copied).</summary>
    /// <param name="classCount">Number of classes k, at least 2.</param>
    /// <param name="kernel">The kernel the model was trained with.</param>
    /// <param name="supportVectors">Support vectors, one array per vector, all of the same length, grouped by class.</param>
    /// <param name="supportVectorCounts">How many of the support vectors belong to each class (length k, summing to the vector count).</param>
    /// <param name="coefficients">k − 1 rows of one coefficient per support vector (LIBSVM's <c>sv_coef</c>).</param>
    /// <param name="rho">One offset per pair (length k(k−1)/2).</param>
    /// <param name="probabilityA">Per-pair sigmoid slope A (LIBSVM's <c>probA</c>), or null without probability model.</param>
    /// <param name="probabilityB">Per-pair sigmoid offset B (<c>probB</c>); null exactly when <paramref name="probabilityA"/> is.</param>
    /// <param name="supportVectorRows">Optional: each support vector's 0-based row in the training data (LIBSVM's <c>sv_indices</c> − 1).</param>
    public SvmModel(
        int classCount,
        SvmKernel kernel,
        IReadOnlyList<double[]> supportVectors,
        IReadOnlyList<int> supportVectorCounts,
        IReadOnlyList<double[]> coefficients,
        IReadOnlyList<double> rho,
        IReadOnlyList<double>? probabilityA = null,
        IReadOnlyList<double>? probabilityB = null,
        IReadOnlyList<int>? supportVectorRows = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(supportVectors);
        ArgumentNullException.ThrowIfNull(supportVectorCounts);
        ArgumentNullException.ThrowIfNull(coefficients);
        ArgumentNullException.ThrowIfNull(rho);
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "An SVM model needs at least two classes.");
        }

        kernel.Validate();
        int total = supportVectors.Count;
        int featureCount = total > 0 ? supportVectors[0]?.Length ?? 0 : 0;
        var flat = new double[(long)total * featureCount];
        for (int s = 0; s < total; s++)
        {
            double[] vector = supportVectors[s] ?? throw new ArgumentException($"Support vector {s} is null.", nameof(supportVectors));
            if (vector.Length != featureCount)
            {
                throw new ArgumentException($"Support vector {s} has {vector.Length} features, the first has {featureCount}.", nameof(supportVectors));
            }

            vector.CopyTo(flat, (long)s * featureCount);
        }

        int pairCount = classCount * (classCount - 1) / 2;
        var counts = CopyExact(supportVectorCounts, classCount, nameof(supportVectorCounts));
        long sum = 0;
        foreach (int c in counts)
        {
            if (c < 0)
            {
                throw new ArgumentException("Support-vector counts cannot be negative.", nameof(supportVectorCounts));
            }

            sum += c;
        }

        if (sum != total)
        {
            throw new ArgumentException($"Support-vector counts sum to {sum}, but there are {total} support vectors.", nameof(supportVectorCounts));
        }

        if (coefficients.Count != classCount - 1)
        {
            throw new ArgumentException($"Expected {classCount - 1} coefficient rows, got {coefficients.Count}.", nameof(coefficients));
        }

        var coefficientRows = new double[classCount - 1][];
        for (int r = 0; r < coefficientRows.Length; r++)
        {
            double[] row = coefficients[r] ?? throw new ArgumentException($"Coefficient row {r} is null.", nameof(coefficients));
            if (row.Length != total)
            {
                throw new ArgumentException($"Coefficient row {r} has {row.Length} entries, expected one per support vector ({total}).", nameof(coefficients));
            }

            coefficientRows[r] = (double[])row.Clone();
        }

        if ((probabilityA is null) != (probabilityB is null))
        {
            throw new ArgumentException("Give both probability parameter lists or neither.", nameof(probabilityB));
        }

        int[]? rows = null;
        if (supportVectorRows is not null)
        {
            rows = CopyExact(supportVectorRows, total, nameof(supportVectorRows));
        }

        this.supportVectors = flat;
        this.coefficients = coefficientRows;
        this.rho = CopyExact(rho, pairCount, nameof(rho));
        this.probabilityA = probabilityA is null ? null : CopyExact(probabilityA, pairCount, nameof(probabilityA));
        this.probabilityB = probabilityB is null ? null : CopyExact(probabilityB, pairCount, nameof(probabilityB));
        this.supportVectorCounts = counts;
        ClassCount = classCount;
        FeatureCount = featureCount;
        Kernel = kernel;
        SupportVectorCounts = Array.AsReadOnly(counts);
        Rho = Array.AsReadOnly(this.rho);
        ProbabilityA = this.probabilityA is null ? null : Array.AsReadOnly(this.probabilityA);
        ProbabilityB = this.probabilityB is null ? null : Array.AsReadOnly(this.probabilityB);
        SupportVectorRows = rows is null ? null : Array.AsReadOnly(rows);
        classStarts = new int[classCount];
        for (int c = 1; c < classCount; c++)
        {
            classStarts[c] = classStarts[c - 1] + counts[c - 1];
        }
    }

    /// <summary>Number of classes k.</summary>
    public int ClassCount { get; }

    /// <summary>Number of binary problems, k(k−1)/2; the length of every decision-value vector.</summary>
    public int PairCount => rho.Length;

    /// <summary>Length of a feature vector.</summary>
    public int FeatureCount { get; }

    /// <summary>The kernel.</summary>
    public SvmKernel Kernel { get; }

    /// <summary>Number of support vectors (LIBSVM's <c>total_sv</c>).</summary>
    public int SupportVectorCount => coefficients[0].Length;

    /// <summary>Support vectors per class (LIBSVM's <c>nr_sv</c>), indexed by class.</summary>
    public ReadOnlyCollection<int> SupportVectorCounts { get; }

    /// <summary>Offset ρ of each pair, in pair order.</summary>
    public ReadOnlyCollection<double> Rho { get; }

    /// <summary>Sigmoid slope A per pair (LIBSVM's <c>probA</c>), or null when trained without probabilities.</summary>
    public ReadOnlyCollection<double>? ProbabilityA { get; }

    /// <summary>Sigmoid offset B per pair (LIBSVM's <c>probB</c>), or null when trained without probabilities.</summary>
    public ReadOnlyCollection<double>? ProbabilityB { get; }

    /// <summary>Each support vector's 0-based training row, when known.</summary>
    public ReadOnlyCollection<int>? SupportVectorRows { get; }

    /// <summary>Whether <see cref="PredictProbabilities"/> is available.</summary>
    public bool HasProbabilityModel => probabilityA is not null;

    /// <summary>Support vector <paramref name="index"/> (0 ≤ index &lt; <see cref="SupportVectorCount"/>).</summary>
    public ReadOnlySpan<double> SupportVector(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SupportVectorCount);
        return new ReadOnlySpan<double>(supportVectors, index * FeatureCount, FeatureCount);
    }

    /// <summary>Coefficient row <paramref name="row"/> (0 ≤ row &lt; k − 1) of LIBSVM's <c>sv_coef</c>, one entry per support vector.</summary>
    public ReadOnlySpan<double> Coefficients(int row) => coefficients[row];

    /// <summary>Index of pair (i, j), i &lt; j, in the decision-value order.</summary>
    public int PairIndex(int i, int j)
    {
        if (i < 0 || j <= i || j >= ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(j), $"Need 0 <= i < j < {ClassCount}, got ({i}, {j}).");
        }

        // Pairs before row i: (k-1) + (k-2) + ... + (k-i).
        return i * (2 * ClassCount - i - 1) / 2 + (j - i - 1);
    }

    /// <summary>The class that wins the one-vs-one vote (ties go to the lowest class index).</summary>
    /// <param name="features">Feature vector of length <see cref="FeatureCount"/>.</param>
    public int Predict(ReadOnlySpan<double> features)
    {
        double[] rented = ArrayPool<double>.Shared.Rent(PairCount);
        try
        {
            return Predict(features, rented.AsSpan(0, PairCount));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The vote winner, and every pair's decision value Σ coef·K(sv, x) − ρ (LIBSVM's <c>svm_predict_values</c>;
    /// &gt; 0 votes for the pair's lower class index).
    /// </summary>
    /// <param name="features">Feature vector of length <see cref="FeatureCount"/>.</param>
    /// <param name="decisionValues">Receives <see cref="PairCount"/> decision values in pair order.</param>
    /// <returns>The winning class index.</returns>
    public int Predict(ReadOnlySpan<double> features, Span<double> decisionValues)
    {
        Span<int> votes = ClassCount <= 256 ? stackalloc int[ClassCount] : new int[ClassCount];
        return Vote(features, decisionValues, votes);
    }

    /// <summary>
    /// Class probabilities by pairwise coupling of the per-pair sigmoids, and the most probable class (LIBSVM's
    /// <c>svm_predict_probability</c>; note this class can differ from the vote winner).
    /// </summary>
    /// <param name="features">Feature vector of length <see cref="FeatureCount"/>.</param>
    /// <param name="probabilities">Receives <see cref="ClassCount"/> probabilities summing to 1.</param>
    /// <returns>The class with the highest probability (ties to the lowest index).</returns>
    public int PredictProbabilities(ReadOnlySpan<double> features, Span<double> probabilities)
    {
        var decisionValues = new double[PairCount];
        Predict(features, decisionValues);
        return ProbabilitiesFromDecisionValues(decisionValues, probabilities);
    }

    /// <summary>Everything the model decided for one feature vector: votes, decision values and (if available) probabilities.</summary>
    /// <param name="features">Feature vector of length <see cref="FeatureCount"/>.</param>
    public SvmPrediction PredictDetailed(ReadOnlySpan<double> features)
    {
        var decisionValues = new double[PairCount];
        var votes = new int[ClassCount];
        int winner = Vote(features, decisionValues, votes);
        double[]? probabilities = null;
        int? probableClass = null;
        if (HasProbabilityModel)
        {
            probabilities = new double[ClassCount];
            probableClass = ProbabilitiesFromDecisionValues(decisionValues, probabilities);
        }

        return new SvmPrediction(winner, Array.AsReadOnly(votes), Array.AsReadOnly(decisionValues), probabilities is null ? null : Array.AsReadOnly(probabilities), probableClass);
    }

    private int Vote(ReadOnlySpan<double> features, Span<double> decisionValues, Span<int> votes)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"The model expects {FeatureCount} features, got {features.Length}.", nameof(features));
        }

        if (decisionValues.Length < PairCount)
        {
            throw new ArgumentException($"Need room for {PairCount} decision values, got {decisionValues.Length}.", nameof(decisionValues));
        }

        int total = SupportVectorCount;
        double[]? rented = null;
        Span<double> kernelValues = total <= 1024 ? stackalloc double[total] : (rented = ArrayPool<double>.Shared.Rent(total)).AsSpan(0, total);
        try
        {
            ComputeKernelValues(features, kernelValues);

            votes.Clear();
            int k = ClassCount;
            int p = 0;
            for (int i = 0; i < k; i++)
            {
                for (int j = i + 1; j < k; j++)
                {
                    double[] coefI = coefficients[j - 1];
                    double[] coefJ = coefficients[i];
                    int si = classStarts[i];
                    int sj = classStarts[j];
                    double sum = 0;
                    for (int t = 0; t < supportVectorCounts[i]; t++)
                    {
                        sum += coefI[si + t] * kernelValues[si + t];
                    }

                    for (int t = 0; t < supportVectorCounts[j]; t++)
                    {
                        sum += coefJ[sj + t] * kernelValues[sj + t];
                    }

                    sum -= rho[p];
                    decisionValues[p] = sum;
                    if (sum > 0)
                    {
                        ++votes[i];
                    }
                    else
                    {
                        ++votes[j];
                    }

                    p++;
                }
            }

            // Strictly greater: ties keep the lowest class index, as LIBSVM's vote loop does.
            int winner = 0;
            for (int c = 1; c < k; c++)
            {
                if (votes[c] > votes[winner])
                {
                    winner = c;
                }
            }

            return winner;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>K(x, sv) for every support vector by LIBSVM's prediction path (<c>k_function</c>).</summary>
    private void ComputeKernelValues(ReadOnlySpan<double> features, Span<double> kernelValues)
    {
        int total = kernelValues.Length;
        int n = FeatureCount;
        if (Kernel.NeedsSquaredNorms)
        {
            // RBF predicts from squared differences, not from a dot product.
            for (int s = 0; s < total; s++)
            {
                kernelValues[s] = Kernel.EvaluateForPrediction(features, new ReadOnlySpan<double>(supportVectors, s * n, n));
            }

            return;
        }

        // Linear, polynomial and sigmoid are functions of the dot product, which Dot4 computes bit-identically
        // to KernelMath.Dot, four support vectors at a time.
        ref double x = ref MemoryMarshal.GetReference(features);
        ref double sv = ref MemoryMarshal.GetArrayDataReference(supportVectors);
        int s4 = 0;
        for (; s4 + 4 <= total; s4 += 4)
        {
            KernelMath.Dot4(
                ref x,
                ref Unsafe.Add(ref sv, s4 * n),
                ref Unsafe.Add(ref sv, (s4 + 1) * n),
                ref Unsafe.Add(ref sv, (s4 + 2) * n),
                ref Unsafe.Add(ref sv, (s4 + 3) * n),
                n,
                out double d0,
                out double d1,
                out double d2,
                out double d3);
            kernelValues[s4] = Kernel.FromDot(d0, 0, 0);
            kernelValues[s4 + 1] = Kernel.FromDot(d1, 0, 0);
            kernelValues[s4 + 2] = Kernel.FromDot(d2, 0, 0);
            kernelValues[s4 + 3] = Kernel.FromDot(d3, 0, 0);
        }

        for (; s4 < total; s4++)
        {
            kernelValues[s4] = Kernel.FromDot(KernelMath.Dot(features, new ReadOnlySpan<double>(supportVectors, s4 * n, n)), 0, 0);
        }
    }

    private int ProbabilitiesFromDecisionValues(ReadOnlySpan<double> decisionValues, Span<double> probabilities)
    {
        if (probabilityA is null || probabilityB is null)
        {
            throw new InvalidOperationException("This model was trained without probability estimates (SvmTrainerOptions.Probability).");
        }

        int k = ClassCount;
        if (probabilities.Length < k)
        {
            throw new ArgumentException($"Need room for {k} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        var pairwise = new double[k * k];
        int p = 0;
        for (int i = 0; i < k; i++)
        {
            for (int j = i + 1; j < k; j++)
            {
                double r = SvmProbability.PredictSigmoid(decisionValues[p], probabilityA[p], probabilityB[p]);
                r = Math.Min(Math.Max(r, SvmProbability.MinProbability), 1 - SvmProbability.MinProbability);
                pairwise[i * k + j] = r;
                pairwise[j * k + i] = 1 - r;
                p++;
            }
        }

        if (k == 2)
        {
            probabilities[0] = pairwise[1];
            probabilities[1] = pairwise[k];
        }
        else
        {
            SvmProbability.CouplePairwise(k, pairwise, probabilities);
        }

        int best = 0;
        for (int c = 1; c < k; c++)
        {
            if (probabilities[c] > probabilities[best])
            {
                best = c;
            }
        }

        return best;
    }

    private static T[] CopyExact<T>(IReadOnlyList<T> source, int expected, string name)
    {
        if (source.Count != expected)
        {
            throw new ArgumentException($"Expected {expected} entries, got {source.Count}.", name);
        }

        var copy = new T[expected];
        for (int i = 0; i < expected; i++)
        {
            copy[i] = source[i];
        }

        return copy;
    }
}
