namespace Raabin.Features.Evaluation;

/// <summary>One confidence bin of a reliability table.</summary>
/// <param name="Index">Bin number, 0-based.</param>
/// <param name="Lower">Lower edge (exclusive, except 0 for the first bin).</param>
/// <param name="Upper">Upper edge (inclusive).</param>
/// <param name="Count">Samples whose confidence falls in the bin.</param>
/// <param name="MeanConfidence">Mean top-label confidence of those samples; NaN for an empty bin.</param>
/// <param name="Accuracy">Fraction of those samples whose top label is right; NaN for an empty bin.</param>
public sealed record ReliabilityBin(int Index, double Lower, double Upper, long Count, double MeanConfidence, double Accuracy);

/// <summary>Top-label calibration of a classifier on a test set (see <see cref="Calibration"/>).</summary>
/// <param name="BinCount">Number of equal-width bins.</param>
/// <param name="SampleCount">Samples evaluated.</param>
/// <param name="ExpectedCalibrationError">ECE = Σ_b (n_b / N)·|accuracy_b − mean confidence_b|, in [0, 1]; NaN for no samples.</param>
/// <param name="MaximumCalibrationError">max over non-empty bins of |accuracy_b − mean confidence_b|; NaN for no samples.</param>
/// <param name="Bins">The reliability table, one row per bin in increasing confidence.</param>
public sealed record CalibrationResult(
    int BinCount, long SampleCount, double ExpectedCalibrationError, double MaximumCalibrationError, IReadOnlyList<ReliabilityBin> Bins);

/// <summary>
/// Top-label expected calibration error (Guo et al., "On calibration of modern neural networks", 2017) and the
/// reliability table, with equal-width bins on [0, 1].
/// <para>
/// Bin edges are eᵢ = i·(1/B) for i &lt; B and e_B = 1 (the values of NumPy's <c>linspace(0, 1, B + 1)</c>). Bin b holds
/// confidences in (e_b, e_{b+1}]; the first bin also holds 0, i.e. it is [0, e₁]. A confidence exactly on an edge
/// therefore goes to the lower bin (as <c>np.digitize(conf, edges[1:-1], right=True)</c>).
/// </para>
/// </summary>
public static class Calibration
{
    /// <summary>Default number of bins (15, as Guo et al.).</summary>
    public const int DefaultBinCount = 15;

    /// <summary>Calibration from each sample's top-label confidence and whether that label was right.</summary>
    /// <param name="confidences">Top-label confidence per sample, in [0, 1].</param>
    /// <param name="correct">Whether the top label is the true class, per sample.</param>
    /// <param name="binCount">Number of equal-width bins (≥ 1).</param>
    /// <exception cref="ArgumentException">Lengths differ, or a confidence is NaN or outside [0, 1].</exception>
    public static CalibrationResult TopLabel(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct, int binCount = DefaultBinCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        if (confidences.Length != correct.Length)
        {
            throw new ArgumentException($"{confidences.Length} confidences but {correct.Length} correctness flags.", nameof(correct));
        }

        double[] edges = Edges(binCount);
        var counts = new long[binCount];
        var confidenceSums = new double[binCount];
        var correctCounts = new long[binCount];
        for (int i = 0; i < confidences.Length; i++)
        {
            double confidence = confidences[i];
            if (!(confidence >= 0 && confidence <= 1))
            {
                throw new ArgumentException($"Confidence {confidence.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} of sample {i} is not in [0, 1].", nameof(confidences));
            }

            int bin = BinIndex(confidence, edges);
            counts[bin]++;
            confidenceSums[bin] += confidence;
            if (correct[i])
            {
                correctCounts[bin]++;
            }
        }

        long total = confidences.Length;
        var bins = new ReliabilityBin[binCount];
        double ece = 0;
        double mce = 0;
        for (int b = 0; b < binCount; b++)
        {
            long count = counts[b];
            double meanConfidence = count == 0 ? double.NaN : confidenceSums[b] / count;
            double accuracy = count == 0 ? double.NaN : (double)correctCounts[b] / count;
            bins[b] = new ReliabilityBin(b, edges[b], edges[b + 1], count, meanConfidence, accuracy);
            if (count > 0)
            {
                double gap = Math.Abs(accuracy - meanConfidence);
                ece += (double)count / total * gap;
                mce = Math.Max(mce, gap);
            }
        }

        return total == 0
            ? new CalibrationResult(binCount, 0, double.NaN, double.NaN, bins)
            : new CalibrationResult(binCount, total, ece, mce, bins);
    }

    /// <summary>
    /// Calibration from per-class probability vectors: the top label is the class of highest probability (the first
    /// one on ties) and its probability is the confidence.
    /// </summary>
    /// <param name="classes">Ordered class list; each probability vector follows it.</param>
    /// <param name="truth">True class name per sample.</param>
    /// <param name="probabilities">Probability vector per sample, one entry per class.</param>
    /// <param name="binCount">Number of equal-width bins.</param>
    public static CalibrationResult TopLabel(
        IReadOnlyList<string> classes, IReadOnlyList<string> truth, IReadOnlyList<IReadOnlyList<double>> probabilities, int binCount = DefaultBinCount)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        int[] truthIndices = ClassLabels.ToIndices(classes, truth, "truth");
        if (probabilities.Count != truthIndices.Length)
        {
            throw new ArgumentException($"{truthIndices.Length} true labels but {probabilities.Count} probability vectors.", nameof(probabilities));
        }

        var confidences = new double[truthIndices.Length];
        var correct = new bool[truthIndices.Length];
        for (int i = 0; i < truthIndices.Length; i++)
        {
            IReadOnlyList<double> vector = probabilities[i];
            if (vector.Count != classes.Count)
            {
                throw new ArgumentException($"Probability vector {i} has {vector.Count} entries for {classes.Count} classes.", nameof(probabilities));
            }

            int top = 0;
            for (int c = 1; c < vector.Count; c++)
            {
                if (vector[c] > vector[top])
                {
                    top = c;
                }
            }

            confidences[i] = vector[top];
            correct[i] = top == truthIndices[i];
        }

        return TopLabel(confidences, correct, binCount);
    }

    /// <summary>The bin of <paramref name="confidence"/> (in [0, 1]) among <paramref name="binCount"/> equal-width bins.</summary>
    public static int BinIndex(double confidence, int binCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        if (!(confidence >= 0 && confidence <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "A confidence must be in [0, 1].");
        }

        return BinIndex(confidence, Edges(binCount));
    }

    private static int BinIndex(double confidence, double[] edges)
    {
        int binCount = edges.Length - 1;
        // Guess from the scaled value, then settle against the stored edges so that rounding cannot misplace an edge value.
        int bin = Math.Clamp((int)Math.Ceiling(confidence * binCount) - 1, 0, binCount - 1);
        while (bin > 0 && confidence <= edges[bin])
        {
            bin--;
        }

        while (bin < binCount - 1 && confidence > edges[bin + 1])
        {
            bin++;
        }

        return bin;
    }

    private static double[] Edges(int binCount)
    {
        var edges = new double[binCount + 1];
        double step = 1.0 / binCount;
        for (int i = 0; i < binCount; i++)
        {
            edges[i] = i * step;
        }

        edges[binCount] = 1.0;
        return edges;
    }
}
