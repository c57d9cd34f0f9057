using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Evaluation;

/// <summary>A point estimate with its bootstrap percentile interval.</summary>
/// <param name="Estimate">The metric on the original samples.</param>
/// <param name="Lower">Lower end: the (1 − level)/2 percentile of the replicate values.</param>
/// <param name="Upper">Upper end: the 1 − (1 − level)/2 percentile of the replicate values.</param>
/// <param name="ValidReplicates">Replicates whose metric was defined (NaN replicates, e.g. an undefined κ, are left
/// out); Lower and Upper are NaN when none was.</param>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, int ValidReplicates);

/// <summary>A class's number of test samples, flagged when too few for a stable per-class estimate.</summary>
/// <param name="Class">Class name.</param>
/// <param name="Support">True samples of the class in the test set.</param>
/// <param name="IsSmall">Support is below <see cref="BootstrapOptions.SmallClassThreshold"/> (absent classes included).</param>
public sealed record ClassSupport(string Class, long Support, bool IsSmall);

/// <summary>Stratified bootstrap intervals of the overall metrics of one model (see <see cref="Bootstrap"/>).</summary>
/// <param name="Replicates">Number of replicates B.</param>
/// <param name="Seed">Seed of the SplitMix64 streams.</param>
/// <param name="ConfidenceLevel">Central coverage of the intervals.</param>
/// <param name="SmallClassThreshold">Support below which a class is flagged small.</param>
/// <param name="Accuracy">Accuracy.</param>
/// <param name="MacroF1">Macro-F1 over all classes (<see cref="ClassificationMetrics.MacroF1"/>).</param>
/// <param name="MacroF1OverPresentClasses">Macro-F1 over the classes present in the test set.</param>
/// <param name="BalancedAccuracy">Balanced accuracy.</param>
/// <param name="CohenKappa">Cohen's κ of truth vs. prediction.</param>
/// <param name="Classes">Per-class support and small-class flag, in class order.</param>
public sealed record BootstrapResult(
    int Replicates,
    ulong Seed,
    double ConfidenceLevel,
    int SmallClassThreshold,
    ConfidenceInterval Accuracy,
    ConfidenceInterval MacroF1,
    ConfidenceInterval MacroF1OverPresentClasses,
    ConfidenceInterval BalancedAccuracy,
    ConfidenceInterval CohenKappa,
    IReadOnlyList<ClassSupport> Classes);

/// <summary>
/// Stratified bootstrap percentile intervals.
/// <para>
/// Resampling, exactly (so that it can be reproduced elsewhere): replicate r (0 ≤ r &lt; B) draws from its own
/// generator <see cref="SplitMix64.ForStream"/>(seed, r). For each class c in class-list order that has nₖ &gt; 0 true
/// samples, taken in increasing sample order, it draws nₖ members with replacement, each as member
/// [<see cref="SplitMix64.NextIndex"/>(nₖ)]. The class sizes of the test set are thus kept in every replicate, and
/// the metrics are computed on the replicate's confusion matrix with the same code as the point estimates.
/// </para>
/// <para>
/// Interval: the replicate values that are not NaN are sorted and the (1 − level)/2 and 1 − (1 − level)/2
/// percentiles are read with linear interpolation between order statistics (NumPy's default "linear" method):
/// for a fraction q of n sorted values x, h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
/// </para>
/// Replicates run in parallel; results do not depend on the thread count or scheduling.
/// </summary>
public static class Bootstrap
{
    private const int MetricCount = 5;

    /// <summary>Intervals for accuracy, macro-F1 (both variants), balanced accuracy and κ of one model.</summary>
    /// <param name="classes">Ordered class list.</param>
    /// <param name="truth">True class index per sample.</param>
    /// <param name="predicted">Predicted class index per sample.</param>
    /// <param name="options">Settings; <see cref="BootstrapOptions.Default"/> when null.</param>
    public static BootstrapResult StratifiedIntervals(
        IReadOnlyList<string> classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, BootstrapOptions? options = null)
    {
        options ??= BootstrapOptions.Default;
        options.Validate();
        ConfusionMatrix matrix = ConfusionMatrix.FromIndices(classes, truth, predicted);
        ClassificationMetrics point = matrix.ComputeMetrics();
        int k = matrix.ClassCount;
        double[][] values = RunReplicates(k, truth, [predicted.ToArray()], MetricCount, options, static (counts, k, scratch, output) =>
        {
            ReadOnlySpan<long> c = counts[0];
            output[0] = MetricMath.Accuracy(c, k);
            output[1] = MetricMath.MacroF1(c, k, presentOnly: false, scratch);
            output[2] = MetricMath.MacroF1(c, k, presentOnly: true, scratch);
            output[3] = MetricMath.BalancedAccuracy(c, k, scratch);
            output[4] = MetricMath.CohenKappa(c, k);
        });

        return new BootstrapResult(
            options.Replicates,
            options.Seed,
            options.ConfidenceLevel,
            options.SmallClassThreshold,
            Interval(point.Accuracy, values[0], options.ConfidenceLevel),
            Interval(point.MacroF1, values[1], options.ConfidenceLevel),
            Interval(point.MacroF1OverPresentClasses, values[2], options.ConfidenceLevel),
            Interval(point.BalancedAccuracy, values[3], options.ConfidenceLevel),
            Interval(point.CohenKappa, values[4], options.ConfidenceLevel),
            Supports(point, options.SmallClassThreshold));
    }

    /// <summary>Class-name overload of <see cref="StratifiedIntervals(IReadOnlyList{string}, ReadOnlySpan{int}, ReadOnlySpan{int}, BootstrapOptions?)"/>.</summary>
    public static BootstrapResult StratifiedIntervals(
        IReadOnlyList<string> classes, IReadOnlyList<string> truth, IReadOnlyList<string> predicted, BootstrapOptions? options = null) =>
        StratifiedIntervals(classes, ClassLabels.ToIndices(classes, truth, "truth"), ClassLabels.ToIndices(classes, predicted, "predictions"), options);

    /// <summary>
    /// The <paramref name="fraction"/> quantile (0 ≤ fraction ≤ 1) of ascending <paramref name="sorted"/> values with
    /// linear interpolation (NumPy's default); NaN for no values.
    /// </summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in [0, 1].");
        }

        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        double h = (sorted.Length - 1) * fraction;
        int below = (int)Math.Floor(h);
        if (below >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        return sorted[below] + (h - below) * (sorted[below + 1] - sorted[below]);
    }

    /// <summary>Point estimate plus the percentile interval of the non-NaN replicate values.</summary>
    internal static ConfidenceInterval Interval(double estimate, double[] replicateValues, double level)
    {
        var finite = new List<double>(replicateValues.Length);
        foreach (double value in replicateValues)
        {
            if (!double.IsNaN(value))
            {
                finite.Add(value);
            }
        }

        finite.Sort();
        double[] sorted = finite.ToArray();
        double tail = (1 - level) / 2;
        return new ConfidenceInterval(estimate, Percentile(sorted, tail), Percentile(sorted, 1 - tail), sorted.Length);
    }

    internal static IReadOnlyList<ClassSupport> Supports(ClassificationMetrics metrics, int threshold)
    {
        var supports = new ClassSupport[metrics.PerClass.Count];
        for (int c = 0; c < supports.Length; c++)
        {
            long support = metrics.PerClass[c].Support;
            supports[c] = new ClassSupport(metrics.PerClass[c].Class, support, support < threshold);
        }

        return supports;
    }

    /// <summary>Computes metric values of one replicate from per-model count buffers (row-major k×k, row = truth).</summary>
    internal delegate void ReplicateMetrics(long[][] counts, int classCount, double[] scratch, Span<double> output);

    /// <summary>
    /// Runs the documented stratified resampling for one or more models predicting the same samples (all models see the
    /// same resampled indices) and returns values[metric][replicate].
    /// </summary>
    internal static double[][] RunReplicates(
        int classCount, ReadOnlySpan<int> truth, int[][] predictions, int metricCount, BootstrapOptions options, ReplicateMetrics metrics)
    {
        int k = classCount;
        int[][] members = MembersByClass(k, truth);
        int replicates = options.Replicates;
        ulong seed = options.Seed;
        var values = new double[metricCount][];
        for (int m = 0; m < metricCount; m++)
        {
            values[m] = new double[replicates];
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(
            0,
            replicates,
            parallel,
            () => new Workspace(predictions.Length, k, metricCount),
            (r, _, work) =>
            {
                ResampleCounts(SplitMix64.ForStream(seed, r), k, members, predictions, work.Counts);
                metrics(work.Counts, k, work.Scratch, work.Output);
                for (int m = 0; m < metricCount; m++)
                {
                    values[m][r] = work.Output[m];
                }

                return work;
            },
            static _ => { });
        return values;
    }

    private static void ResampleCounts(SplitMix64 random, int k, int[][] members, int[][] predictions, long[][] counts)
    {
        foreach (long[] buffer in counts)
        {
            Array.Clear(buffer);
        }

        for (int c = 0; c < k; c++)
        {
            int[] classMembers = members[c];
            int size = classMembers.Length;
            int row = c * k;
            for (int draw = 0; draw < size; draw++)
            {
                int sample = classMembers[random.NextIndex(size)];
                for (int model = 0; model < predictions.Length; model++)
                {
                    counts[model][row + predictions[model][sample]]++;
                }
            }
        }
    }

    private static int[][] MembersByClass(int k, ReadOnlySpan<int> truth)
    {
        var sizes = new int[k];
        foreach (int t in truth)
        {
            sizes[t]++;
        }

        var members = new int[k][];
        for (int c = 0; c < k; c++)
        {
            members[c] = new int[sizes[c]];
            sizes[c] = 0;
        }

        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i];
            members[t][sizes[t]++] = i;
        }

        return members;
    }

    private sealed class Workspace(int models, int k, int metricCount)
    {
        public long[][] Counts { get; } = CreateCounts(models, k);

        public double[] Scratch { get; } = new double[k];

        public double[] Output { get; } = new double[metricCount];

        private static long[][] CreateCounts(int models, int k)
        {
            var counts = new long[models][];
            for (int m = 0; m < models; m++)
            {
                counts[m] = new long[k * k];
            }

            return counts;
        }
    }
}
