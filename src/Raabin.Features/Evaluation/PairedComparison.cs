namespace Raabin.Features.Evaluation;

/// <summary>Two models compared on the same samples (see <see cref="PairedComparison"/>).</summary>
/// <param name="MetricsA">Metrics of the first model (A).</param>
/// <param name="MetricsB">Metrics of the second model (B).</param>
/// <param name="McNemar">Exact McNemar test on the discordant samples (b = only A right, c = only B right).</param>
/// <param name="AccuracyDifference">Accuracy of A minus accuracy of B, with its paired stratified bootstrap interval.</param>
/// <param name="MacroF1Difference">Macro-F1 (over all classes) of A minus that of B, with its paired interval.</param>
/// <param name="PredictionAgreement">Fraction of samples on which A and B predict the same class; NaN for no samples.</param>
/// <param name="PredictionKappa">Cohen's κ between A's and B's predictions (rows A, columns B; the truth plays no part).</param>
/// <param name="Replicates">Bootstrap replicates.</param>
/// <param name="Seed">Bootstrap seed.</param>
/// <param name="ConfidenceLevel">Central coverage of the intervals.</param>
public sealed record PairedComparisonResult(
    ClassificationMetrics MetricsA,
    ClassificationMetrics MetricsB,
    McNemarResult McNemar,
    ConfidenceInterval AccuracyDifference,
    ConfidenceInterval MacroF1Difference,
    double PredictionAgreement,
    double PredictionKappa,
    int Replicates,
    ulong Seed,
    double ConfidenceLevel);

/// <summary>
/// Paired comparison of two models' predictions for the same samples: exact McNemar test, stratified paired bootstrap
/// intervals of the differences A − B in accuracy and macro-F1 (each replicate resamples the samples once, as
/// documented on <see cref="Bootstrap"/>, and evaluates both models on the same resampled samples), and Cohen's κ
/// between the two models' predictions.
/// </summary>
public static class PairedComparison
{
    /// <summary>Compares models A and B.</summary>
    /// <param name="classes">Ordered class list.</param>
    /// <param name="truth">True class index per sample.</param>
    /// <param name="predictedA">Model A's predicted class index per sample.</param>
    /// <param name="predictedB">Model B's predicted class index per sample.</param>
    /// <param name="options">Bootstrap settings; <see cref="BootstrapOptions.Default"/> when null.</param>
    public static PairedComparisonResult Compare(
        IReadOnlyList<string> classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predictedA, ReadOnlySpan<int> predictedB,
        BootstrapOptions? options = null)
    {
        options ??= BootstrapOptions.Default;
        options.Validate();
        ConfusionMatrix matrixA = ConfusionMatrix.FromIndices(classes, truth, predictedA);
        ConfusionMatrix matrixB = ConfusionMatrix.FromIndices(classes, truth, predictedB);
        ClassificationMetrics metricsA = matrixA.ComputeMetrics();
        ClassificationMetrics metricsB = matrixB.ComputeMetrics();

        var correctA = new bool[truth.Length];
        var correctB = new bool[truth.Length];
        long same = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            correctA[i] = predictedA[i] == truth[i];
            correctB[i] = predictedB[i] == truth[i];
            if (predictedA[i] == predictedB[i])
            {
                same++;
            }
        }

        McNemarResult mcnemar = McNemarTest.Compare(correctA, correctB);
        ConfusionMatrix between = ConfusionMatrix.FromIndices(classes, predictedA, predictedB);

        int k = matrixA.ClassCount;
        double[][] values = Bootstrap.RunReplicates(k, truth, [predictedA.ToArray(), predictedB.ToArray()], 2, options, static (counts, k, scratch, output) =>
        {
            output[0] = MetricMath.Accuracy(counts[0], k) - MetricMath.Accuracy(counts[1], k);
            output[1] = MetricMath.MacroF1(counts[0], k, presentOnly: false, scratch) - MetricMath.MacroF1(counts[1], k, presentOnly: false, scratch);
        });

        return new PairedComparisonResult(
            metricsA,
            metricsB,
            mcnemar,
            Bootstrap.Interval(metricsA.Accuracy - metricsB.Accuracy, values[0], options.ConfidenceLevel),
            Bootstrap.Interval(metricsA.MacroF1 - metricsB.MacroF1, values[1], options.ConfidenceLevel),
            truth.Length == 0 ? double.NaN : (double)same / truth.Length,
            MetricMath.CohenKappa(between.Counts, k),
            options.Replicates,
            options.Seed,
            options.ConfidenceLevel);
    }

    /// <summary>Class-name overload of <see cref="Compare(IReadOnlyList{string}, ReadOnlySpan{int}, ReadOnlySpan{int}, ReadOnlySpan{int}, BootstrapOptions?)"/>.</summary>
    public static PairedComparisonResult Compare(
        IReadOnlyList<string> classes, IReadOnlyList<string> truth, IReadOnlyList<string> predictedA, IReadOnlyList<string> predictedB,
        BootstrapOptions? options = null) =>
        Compare(
            classes,
            ClassLabels.ToIndices(classes, truth, "truth"),
            ClassLabels.ToIndices(classes, predictedA, "predictions of model A"),
            ClassLabels.ToIndices(classes, predictedB, "predictions of model B"),
            options);
}
